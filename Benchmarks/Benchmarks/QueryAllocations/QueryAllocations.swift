// Allocation counts of queries on a 50,000-event log: `trace get`, `trace list --trace-tag`, `--execution`.
// CI gates these (thresholds in Benchmarks/Thresholds); wall-clock latencies are in BENCHMARKS.md.
import Benchmark
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogStorage
import TraceLogWorkload

/// A log of 50,000 ingested events and fixed query keys, made once per process.
final class QueryFixture: Sendable {
    static let shared = QueryFixture()
    /// The log's directory, one per process.
    static let directory = NSTemporaryDirectory() + "tracelog-bench-query-\(getpid())"

    let store: TraceStore
    let traceIDs: [TraceID]
    let tags: [String]
    let executions: [String]

    private init() {
        let directory = Self.directory
        try? FileManager.default.removeItem(atPath: directory)
        // Removed when the benchmark process exits (the store stays open until then).
        atexit { try? FileManager.default.removeItem(atPath: QueryFixture.directory) }
        let writerStore = try! WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        var iterator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: 1)).makeIterator()
        let parser = NativeEventParser()
        let semaphore = DispatchSemaphore(value: 0)
        let events = (0..<50_000).map { index in
            let event = try! parser.parse(line: iterator.next()!, lineNumber: index + 1)
            return IncomingEvent(
                body: event.body, time: event.time,
                trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) })
        }
        Task {
            for start in stride(from: 0, to: events.count, by: 4096) {
                _ = try! await writerStore.ingest(Array(events[start..<min(start + 4096, events.count)]))
            }
            semaphore.signal()
        }
        semaphore.wait()
        try! writerStore.close()
        store = try! TraceStore.openReadOnly(directory: directory)
        var traceIDs: [TraceID] = []
        var tags: [String] = []
        var executions: [String] = []
        var cursor = store.reader.cursor()
        var index = 0
        while let stored = try! cursor.next() {
            index += 1
            switch stored.record.body {
            case .traceStart(let start) where index % 37 == 0:
                traceIDs.append(stored.record.traceID)
                tags.append(start.tag)
            case .executionAttempt(let attempt) where index % 101 == 0: executions.append(attempt.id)
            default: break
            }
        }
        self.traceIDs = Array(traceIDs.prefix(100))
        self.tags = Array(tags.prefix(20))
        self.executions = Array(executions.prefix(20))
    }
}

let benchmarks: @Sendable () -> Void = {
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

    // 100 `trace get` calls (the same 100 ids every iteration), projections included.
    Benchmark("TraceGet100") { benchmark in
        let fixture = QueryFixture.shared
        benchmark.startMeasurement()
        for id in fixture.traceIDs { blackHole(try! fixture.store.trace(id)) }
    }

    // 20 `trace list --trace-tag T` calls (newest 50 traces with their records, and the total).
    Benchmark("TraceListByTag20") { benchmark in
        let fixture = QueryFixture.shared
        benchmark.startMeasurement()
        for tag in fixture.tags { blackHole(try! fixture.store.listTraces(TraceQuery(tag: tag))) }
    }

    // 20 `trace list --execution E` calls.
    Benchmark("TraceListByExecution20") { benchmark in
        let fixture = QueryFixture.shared
        benchmark.startMeasurement()
        for execution in fixture.executions {
            blackHole(try! fixture.store.listTraces(TraceQuery(execution: execution)))
        }
    }
}
