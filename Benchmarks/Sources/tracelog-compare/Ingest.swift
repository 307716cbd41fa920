import Foundation
import GRDB
import TraceLog
import TraceLogIngest
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// JSON-lines ingest, the way `tracelog ingest` does it: the library's IngestPipeline (a parse thread, the
/// store's ingest thread resolving, its write thread appending), in chunks of 4,096 lines.
enum CLIPathIngest {
    static let chunkSize = 4096

    /// Returns (events ingested, records in the log).
    static func run(file: String, directory: String, durability: Durability, segmentBytes: Int64? = nil) async throws
        -> (Int, UInt64)
    {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "cannot open \(file)")
        defer { close(descriptor) }
        var options = LogOptions(durability: durability)
        if let segmentBytes { options.segmentMaxBytes = segmentBytes }
        let store = try WritableTraceStore.open(directory: directory, options: options)
        var pipeline = IngestPipeline(store: store, stopOnError: false) { message in
            preconditionFailure("rejected: \(message)")
        }
        pipeline.chunkUnits = chunkSize
        let summary = try await pipeline.run(.native, fileDescriptor: descriptor, name: file)
        let end = store.endSeq
        try store.close()
        return (summary.ingested, end)
    }

    /// Reads and parses every line (one thread, no store): the rate the pipeline is measured against.
    static func parseOnly(file: String) throws -> Int {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "cannot open \(file)")
        defer { close(descriptor) }
        let parser = NativeEventParser()
        var reader = JSONLinesReader(fileDescriptor: descriptor, name: file)
        var lines = 0
        while let line = try reader.nextLine() {
            _ = try parser.parse(line)
            lines += 1
        }
        return lines
    }

    /// Runs the real `tracelog ingest --log DIR --durability interval FILE` binary; returns its wall time and its
    /// peak RSS in bytes; nil if it is not built.
    static func runBinary(file: String, directory: String) throws -> (seconds: Double, peakRSS: Int)? {
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
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)  // the largest child so far: this is the only big one
        return (seconds, usage.ru_maxrss * 1024)
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
