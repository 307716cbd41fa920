import TraceLogStorage

/// TraceLog's record (GRDB also exports a `Record` class).
typealias Record = TraceLogStorage.Record
