import Foundation
import Testing
import TraceLog
import TraceLogAnalysis
import TraceLogIngest
import TraceLogStorage

/// The real tools' outputs as runs: Stroma's exports (node = node id), Selinon's flows (node = task or flow name)
/// and StackStorm's traces (node = action ref).
@Suite("Runs from Stroma, Selinon and StackStorm")
struct InteropTests {
    static func ingest(_ events: [ImportedEvent], into store: WritableTraceStore) async throws {
        let result = try await store.ingest(events.map(\.event), atomic: true)
        #expect(result.rejected.isEmpty, "\(result.rejected.map(\.error))")
    }

    @Test("Stroma exports are runs; the same export ingested twice is two runs")
    func stroma() async throws {
        try await withLog { store in
            for name in ["flaky", "flaky", "terminal", "pair-a", "pair-b", "edge"] {
                try await Self.ingest(
                    try StromaImporter().events(from: try Reference.ingestFixture("stroma-\(name).json")), into: store)
            }
            let flaky = try store.runSet(RunSelector(parsing: "tag:run-flaky-run-1"))
            #expect(flaky.runs.count == 2)
            for run in flaky.runs {
                #expect(run.nodes == ["flaky": NodeRunSample(durationMs: 12, failed: false, attempts: 3, retries: 2)])
            }
            let terminal = try store.runSet(RunSelector(parsing: "tag:run-terminal-*")).runs
            #expect(
                terminal.first?.nodes["fetch"] == NodeRunSample(durationMs: 0, failed: true, attempts: 2, retries: 1))
            #expect(terminal.first?.nodes["prepare"]?.durationMs == 4)
            let all = try store.runSet(RunSelector(parsing: "tag:run-*"))
            #expect(all.runs.count == 6)
            #expect(all.nodeNames == ["after", "edge é", "enrich", "extract", "fetch", "flaky", "prepare"])
            let comparison = RunSetComparison(
                baseline: try store.runSet(RunSelector(parsing: "tag:run-pair-run-a")),
                candidate: try store.runSet(RunSelector(parsing: "tag:run-pair-run-b")))
            #expect(comparison.nodes.map(\.node).sorted() == ["enrich", "extract"])
            let extract = try #require(comparison.nodes.first { $0.node == "extract" })
            #expect(extract.duration?.ratio == 5.0 / 3.0)
            #expect(extract.duration?.verdict == .unknown, "one run against one")
            #expect(comparison.nodes.first { $0.node == "enrich" }?.candidateRetriesMean == 1)
        }
    }

    @Test("a Selinon flow is a run whose nodes are its tasks (and flows)")
    func selinon() async throws {
        try await withLog { store in
            var importer = SelinonImporter()
            let text = String(decoding: try Reference.ingestFixture("selinon-flow.jsonl"), as: UTF8.self)
            var events: [ImportedEvent] = []
            for (number, line) in text.split(separator: "\n").enumerated() {
                events += try importer.events(fromLine: Array(line.utf8), number: number + 1)
            }
            try await Self.ingest(events, into: store)
            let run = try #require(try store.runSet(RunSelector(parsing: "tag:mainFlow")).runs.first)
            let fetch = try #require(run.nodes["FetchTask"])
            #expect(fetch.attempts == 3 && fetch.retries == 2 && !fetch.failed)
            #expect((fetch.durationMs ?? 0) > 0)
            #expect(run.nodes["ParseTask"]?.failed == true)
            #expect(run.nodes["FallbackTask"]?.failed == false)
            #expect(run.nodes["subFlow"]?.failed == true, "a failed sub-flow is a failed node")
            #expect(run.nodes["mainFlow"]?.durationMs == nil, "flows record no duration")
            let history = try RunHistory(try store.runSet(RunSelector(parsing: "tag:*Flow")))
            #expect(history.nodes.contains { $0.node == "FetchTask" })
        }
    }

    @Test("a StackStorm trace is a run whose nodes are action refs")
    func stackStorm() async throws {
        try await withLog { store in
            try await Self.ingest(
                try StackStormImporter().events(from: try Reference.ingestFixture("st2-traces.json")), into: store)
            let nightly = try #require(try store.runSet(RunSelector(parsing: "tag:nightly")).runs.first)
            #expect(Set(nightly.nodes.keys) == ["ops.backup_workflow", "core.local", "slack.post_message"])
            #expect(nightly.nodes["slack.post_message"]?.attempts == 2, "two executions of one action")
            #expect(nightly.nodes["slack.post_message"]?.retries == 0, "executions are not retries")
            let ci = try #require(try store.runSet(RunSelector(parsing: "tag:git-commit-*")).runs.first)
            #expect(Set(ci.nodes.keys) == ["ci.build", "ci.deploy"])
        }
    }
}
