// Allocation counts of the write and read paths, per 1,000 records. These are what CI gates (thresholds in
// Benchmarks/Thresholds): unlike wall-clock time they do not move with the ±40% noise of these machines.
// Wall-clock numbers live in tracelog-compare and BENCHMARKS.md.
import Benchmark
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogStorage
import TraceLogWorkload

/// Pre-built inputs, made once per process (static lets are lazy and thread-safe).
final class StorageFixture: @unchecked Sendable {
    static let shared = StorageFixture()
    static let chunk = 1000
    /// The replay log's directory, one per process.
    static let replayPath = NSTemporaryDirectory() + "tracelog-bench-replay-\(getpid())"
    static let chunks = 120

    /// Native JSON lines of the workload (seed 1).
    let lines: [[UInt8]]
    /// The same lines parsed, in chunks of 1,000 events.
    let eventChunks: [[IncomingEvent]]
    /// Records (parsed events with a fixed trace id), 1,000 per chunk.
    let recordChunks: [[Record]]
    /// A log holding the first 20,000 lines, for replay.
    let replayDirectory: String
    var nextChunk = 0
    var nextReplayStart: UInt64 = 0

    private init() {
        let total = Self.chunk * Self.chunks
        var iterator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: 1)).makeIterator()
        lines = (0..<total).map { _ in iterator.next()! }
        let parser = NativeEventParser()
        let events = lines.enumerated().map { index, line in
            let event = try! parser.parse(line: line, lineNumber: index + 1)
            return IncomingEvent(
                body: event.body, time: event.time,
                trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) })
        }
        eventChunks = stride(from: 0, to: total, by: Self.chunk).map { Array(events[$0..<($0 + Self.chunk)]) }
        let trace = TraceID(high: 0x0123_4567_89ab_cdef, low: 1)
        recordChunks = eventChunks.map { chunk in
            chunk.map { Record(time: $0.time ?? Timestamp(microseconds: 0), traceID: trace, body: $0.body) }
        }
        replayDirectory = Self.replayPath
        try? FileManager.default.removeItem(atPath: replayDirectory)
        // Removed when the benchmark process exits (the log stays open until then).
        atexit { try? FileManager.default.removeItem(atPath: StorageFixture.replayPath) }
        let writer = try! LogWriter.open(directory: replayDirectory, options: LogOptions(durability: .none))
        for chunk in recordChunks.prefix(20) { try! writer.appendWritten(chunk) }
        try! writer.close()
    }

    static func freshDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "tracelog-bench-\(name)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }
}

let benchmarks: @Sendable () -> Void = {
    // Allocation counts are deterministic up to a few allocations of the runtime and of background threads.
    let tolerance = BenchmarkThresholds(
        relative: [.p25: 5.0, .p50: 5.0, .p75: 5.0, .p90: 5.0, .p99: 10.0, .p100: 20.0],
        absolute: [.p25: 50, .p50: 50, .p75: 50, .p90: 50, .p99: 100, .p100: 500])
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal],
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 50,
        thresholds: [.mallocCountTotal: tolerance]
    )

    // One `appendWritten` of 1,000 records (encode, batch, LZ4, CRC, pwrite, in-memory index), durability none.
    Benchmark("AppendWritten1000Records") { benchmark in
        let fixture = StorageFixture.shared
        let directory = StorageFixture.freshDirectory("append")
        let writer = try! LogWriter.open(directory: directory, options: LogOptions(durability: .none))
        defer {
            try? writer.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let records = fixture.recordChunks[0]
        benchmark.startMeasurement()
        blackHole(try! writer.appendWritten(records))
        benchmark.stopMeasurement()
    }

    // Parsing 1,000 native JSON lines into events.
    Benchmark("ParseNative1000Lines") { benchmark in
        let fixture = StorageFixture.shared
        let parser = NativeEventParser()
        benchmark.startMeasurement()
        for (index, line) in fixture.lines.prefix(1000).enumerated() {
            blackHole(try! parser.parse(line: line, lineNumber: index + 1))
        }
    }

    // `TraceStore.ingest` of 1,000 events (trace resolution, append, reader refresh) into a fresh log.
    Benchmark("Ingest1000Events") { benchmark in
        let fixture = StorageFixture.shared
        let directory = StorageFixture.freshDirectory("ingest")
        let store = try! WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        defer {
            try? store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        benchmark.startMeasurement()
        blackHole(try! await store.ingest(fixture.eventChunks[0]))
        benchmark.stopMeasurement()
    }

    // Decoding 1,000 records with a cursor (replay), from an already-open reader.
    Benchmark("Replay1000Records") { benchmark in
        let fixture = StorageFixture.shared
        let reader = try! LogReader(directory: fixture.replayDirectory)
        var cursor = reader.cursor(from: 5000, to: 6000)
        benchmark.startMeasurement()
        while let record = try! cursor.next() { blackHole(record) }
    }
}
