import Foundation
import GRDB
import TraceLog
import TraceLogIngest
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// JSON-lines ingest, the way `tracelog ingest` does it (Sources/TraceLogCLI/Commands/LineIngestor.swift):
/// JSONLinesReader → NativeEventParser → TraceStore.ingest in chunks of 4,096 events.
enum CLIPathIngest {
    static let chunkSize = 4096

    /// Returns (events ingested, records in the log).
    static func run(file: String, directory: String, durability: Durability) async throws -> (Int, UInt64) {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "cannot open \(file)")
        defer { close(descriptor) }
        let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: durability))
        let parser = NativeEventParser()
        var reader = JSONLinesReader(fileDescriptor: descriptor, name: file)
        var events: [IncomingEvent] = []
        events.reserveCapacity(chunkSize)
        var ingested = 0
        while let line = try reader.nextLine() {
            let event = try parser.parse(line)
            events.append(
                IncomingEvent(
                    body: event.body, time: event.time,
                    trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) }))
            if events.count >= chunkSize {
                let result = try await store.ingest(events)
                precondition(result.rejected.isEmpty, "rejected: \(result.rejected.first!)")
                ingested += result.accepted
                events.removeAll(keepingCapacity: true)
            }
        }
        if !events.isEmpty { ingested += try await store.ingest(events).accepted }
        let end = store.endSeq
        try store.close()
        return (ingested, end)
    }

    /// Runs the real `tracelog ingest --log DIR --durability interval FILE` binary; nil if it is not built.
    static func runBinary(file: String, directory: String) throws -> Double? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tracelog").path
        guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["ingest", "--log", directory, "--durability", "interval", file]
        process.standardOutput = FileHandle.nullDevice
        let start = nowNanoseconds()
        try process.run()
        process.waitUntilExit()
        let seconds = Double(nowNanoseconds() - start) / 1e9
        guard process.terminationStatus == 0 else { return nil }
        return seconds
    }
}

/// The same JSON-lines ingest into SQLite: the same reader and parser, trace resolution with an in-memory map
/// (entity → trace; no SQLite lookups, which favours SQLite), one INSERT per record, 4,096 events per transaction.
enum SQLiteIngest {
    static func run(file: String, path: String) throws -> Int {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "cannot open \(file)")
        defer { close(descriptor) }
        let database = try SQLiteBaseline(path: path, synchronous: .normal, create: true)
        let parser = NativeEventParser()
        var reader = JSONLinesReader(fileDescriptor: descriptor, name: file)
        var traces: [EntityRef: TraceID] = [:]
        var generator = SeededRandom(seed: 99)
        var seq: Int64 = 0
        var pending: [Record] = []
        func resolve(_ body: RecordBody, time: Timestamp, trace: TraceLog.TraceContext?) {
            let entity = body.entity
            if case .traceStart = body, let id = trace?.id {
                pending.append(Record(time: time, traceID: id, body: body))
                return
            }
            var id: TraceID? = entity.flatMap { traces[$0] }
            if id == nil, let explicit = trace?.id { id = explicit }
            if id == nil, trace?.tag == nil, let cause = body.cause { id = traces[cause] }
            if id == nil {
                let fresh = TraceID(high: generator.next() | 1, low: generator.next())
                pending.append(
                    Record(time: time, traceID: fresh, body: .traceStart(TraceStart(tag: trace?.tag ?? "", origin: entity))))
                id = fresh
            }
            if let entity { traces[entity] = id }
            pending.append(Record(time: time, traceID: id!, body: body))
        }
        try database.queue.inDatabase { db in
            let statement = try db.makeStatement(sql: SQLiteBaseline.insertSQL)
            var lines = 0
            func flush() throws {
                try db.inTransaction(.immediate) {
                    for record in pending {
                        statement.setUncheckedArguments(SQLRow.arguments(seq: seq, record: record))
                        try statement.execute()
                        seq += 1
                    }
                    return .commit
                }
                pending.removeAll(keepingCapacity: true)
                lines = 0
            }
            while let line = try reader.nextLine() {
                let event = try parser.parse(line)
                resolve(
                    event.body, time: event.time ?? .now(),
                    trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) })
                lines += 1
                if lines >= CLIPathIngest.chunkSize { try flush() }
            }
            try flush()
        }
        try database.close()
        return Int(seq)
    }
}
