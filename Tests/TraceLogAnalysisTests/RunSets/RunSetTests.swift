import Foundation
import Testing
import TraceLog
import TraceLogAnalysis
import TraceLogIngest
import TraceLogStorage

@Suite("Run sets from a log: selection and per-node samples")
struct RunSetTests {
    static let hour: Int64 = 3_600_000_000

    /// Ten runs: `bench-v1-0…4` and `bench-v2-0…4`, an hour apart, plus unrelated traces.
    static func fill(_ store: WritableTraceStore) async throws {
        var events: [IncomingEvent] = []
        for index in 0..<10 {
            let version = index < 5 ? "v1" : "v2"
            events += pipelineRun(
                tag: "bench-\(version)-\(index % 5)", start: Int64(index) * hour,
                durations: [("extract", 10 + Double(index)), ("load", 20)], failing: index == 9 ? "load" : nil,
                retried: index == 3 ? ["extract"] : [])
        }
        for index in 0..<5 {
            events.append(
                IncomingEvent(
                    body: .executionAttempt(ExecutionAttempt(id: "other-\(index)", action: "core.noop", durationMs: 1)),
                    time: Timestamp(microseconds: Int64(index) * hour), trace: TraceContext(tag: "other-\(index)")))
        }
        let result = try await store.ingest(events, atomic: true)
        #expect(result.rejected.isEmpty)
    }

    @Test("tag:GLOB, a literal tag, tag:* and trace:ID select the right runs, oldest first")
    func selection() async throws {
        try await withLog { store in
            try await Self.fill(store)
            let v1 = try store.runSet(RunSelector(parsing: "tag:bench-v1-*"))
            #expect(v1.runs.map(\.tag) == (0..<5).map { "bench-v1-\($0)" })
            #expect(v1.selector == "tag:bench-v1-*")
            #expect(
                try store.runSet(RunSelector(parsing: "tag:bench-v?-0")).runs.map(\.tag) == [
                    "bench-v1-0", "bench-v2-0",
                ])
            #expect(try store.runSet(RunSelector(parsing: "tag:bench-v2-3")).runs.count == 1)
            #expect(try store.runSet(RunSelector(parsing: "tag:*")).runs.count == 15)
            let id = v1.runs[2].traceID
            let one = try store.runSet(RunSelector(parsing: "trace:\(id)"))
            #expect(one.runs.map(\.traceID) == [id])
        }
    }

    @Test("--since and --until narrow by start time; an empty selection is an error naming the selector")
    func window() async throws {
        try await withLog { store in
            try await Self.fill(store)
            let narrowed = try store.runSet(
                RunSelector(
                    parsing: "tag:bench-*", since: Timestamp(microseconds: 2 * Self.hour),
                    until: Timestamp(microseconds: 6 * Self.hour)))
            #expect(narrowed.runs.map(\.tag) == ["bench-v1-2", "bench-v1-3", "bench-v1-4", "bench-v2-0", "bench-v2-1"])
            #expect {
                try store.runSet(RunSelector(parsing: "tag:nothing-*"))
            } throws: { error in
                "\(error)" == "no runs match tag:nothing-*"
            }
            #expect(throws: AnalysisError.self) {
                try store.runSet(RunSelector(parsing: "tag:bench-*", since: Timestamp(microseconds: 99 * Self.hour)))
            }
        }
    }

    @Test("a glob reads each distinct tag once, not each trace")
    func globCost() async throws {
        try await withLog { store in
            var events: [IncomingEvent] = []
            for index in 0..<40 {  // 40 traces, 2 distinct tags
                events += pipelineRun(
                    tag: index % 2 == 0 ? "nightly" : "weekly", start: Int64(index), durations: [("a", 1)])
            }
            _ = try await store.ingest(events, atomic: true)
            let calls = Counter()
            let starts = try store.reader.traceStarts(store.reader.traceStarts()) { tag in
                calls.add()
                return tag.hasPrefix("night")
            }
            #expect(starts.count == 20)
            #expect(calls.value == 2)
        }
    }

    @Test("per node and run: duration sums the attempts, failed is the last attempt, retries are attempts − 1")
    func samples() async throws {
        try await withLog { store in
            try await Self.fill(store)
            let runs = try store.runSet(RunSelector(parsing: "tag:bench-*")).runs
            let retried = try #require(runs[3].nodes["extract"])
            #expect(retried == NodeRunSample(durationMs: 14, failed: false, attempts: 2, retries: 1))
            #expect(runs[9].nodes["load"]?.failed == true)
            #expect(runs[0].nodes["load"] == NodeRunSample(durationMs: 20, failed: false, attempts: 1, retries: 0))
        }
    }
}

final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
