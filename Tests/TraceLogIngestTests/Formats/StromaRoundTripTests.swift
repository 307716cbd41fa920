import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Stroma's `to_json()` output from the real library (stroma 0.3.2), ingested and exported back, and the run
/// projections checked against what the real `failures()`, `events_for()`, `replay()` and `diff()` reported.
@Suite("Stroma import and export against the real Stroma")
struct StromaRoundTripTests {
    static let runs = ["flaky", "terminal", "pair-a", "pair-b", "edge"]

    /// Imports a fixture into `store` and returns its run.
    static func load(_ name: String, into store: TemporaryStore) async throws -> RunProjection {
        let expected = try Fixture.expected("stroma-\(name).expected.json")
        let runID = try #require(expected["run_id"] as? String)
        try await store.ingest(try StromaImporter().events(from: try Fixture.bytes("stroma-\(name).json")))
        return try #require(try store.store.run(runID))
    }

    @Test("export of an imported run is Stroma's to_json byte for byte", arguments: runs)
    func exportMatchesStroma(name: String) async throws {
        let original = try Fixture.text("stroma-\(name).json")
        let exported = try await withTemporaryStore { store in
            StromaExporter().json(for: try await Self.load(name, into: store))
        }
        #expect(exported == original)
    }

    @Test("export → ingest into a fresh log → export is byte-identical", arguments: runs)
    func secondRoundTrip(name: String) async throws {
        let first = try await withTemporaryStore { store in
            StromaExporter().json(for: try await Self.load(name, into: store))
        }
        let second = try await withTemporaryStore { store in
            try await store.ingest(try StromaImporter().events(from: Array(first.utf8)))
            let runID = try #require(try Fixture.expected("stroma-\(name).expected.json")["run_id"] as? String)
            let run = try #require(try store.store.run(runID))
            return StromaExporter().json(for: run)
        }
        #expect(second == first)
    }

    @Test("failures(), events_for(node) and replay() match the real Stroma", arguments: runs)
    func projectionsMatchStroma(name: String) async throws {
        let expected = try Fixture.expected("stroma-\(name).expected.json")
        try await withTemporaryStore { store in
            let run = try await Self.load(name, into: store)
            #expect(run.tag == "run-\(expected["run_id"] as? String ?? "")")
            #expect(run.attempts.count == expected["attempts"] as? Int)
            let replay = try #require(expected["replay"] as? [[Any]])
            #expect(run.attempts.map { "\($0.node)#\($0.attempt)" } == replay.map { "\($0[0])#\($0[1])" })
            #expect(
                run.failures().map(Self.summary) == (expected["failures"] as? [[String: Any]] ?? []).map(Self.summary))
            let eventsFor = try #require(expected["events_for"] as? [String: [[String: Any]]])
            for (node, attempts) in eventsFor {
                #expect(run.events(for: node).map(Self.summary) == attempts.map(Self.summary), "events_for(\(node))")
            }
        }
    }

    @Test("diff() entries match the real Stroma, with and without run ids")
    func diffMatchesStroma() async throws {
        let expected = try Fixture.expected("stroma-diff.expected.json")
        try await withTemporaryStore { store in
            let a = try await Self.load("pair-a", into: store)
            let b = try await Self.load("pair-b", into: store)
            #expect(
                RunDiff(a, b).entries.map(Self.entry) == (expected["entries"] as? [[String: Any]] ?? []).map(Self.entry)
            )
            #expect(
                RunDiff(a, b, ignoreRunID: true).entries.map(Self.entry)
                    == (expected["entries_ignoring_run_id"] as? [[String: Any]] ?? []).map(Self.entry))
            #expect(RunDiff(a, a).isEmpty)
            #expect((expected["self_diff"] as? [Any])?.isEmpty == true)
            // The fix: structured entries name the fields that differ.
            let enrich = try #require(RunDiff(a, b, ignoreRunID: true).entries.first)
            #expect(enrich.changes.map(\.field) == ["output_state", "failure", "failure_message"])
        }
    }

    @Test("a run is one trace: ids, tag and causes")
    func traceShape() async throws {
        try await withTemporaryStore { store in
            let importID = "0123456789abcdef0123456789abcdef"
            try await store.ingest(
                try StromaImporter(newImportID: { importID }).events(from: try Fixture.bytes("stroma-terminal.json")))
            let run = try #require(try store.store.run("terminal-run-1"))
            let trace = try #require(try store.store.trace(run.traceID))
            let (prepare, fetch) = ("terminal-run-1.prepare#\(importID)", "terminal-run-1.fetch#\(importID)")
            #expect(trace.tag == "run-terminal-run-1")
            #expect(trace.components.map(\.id) == [prepare, fetch])
            #expect(trace.components.map(\.causedBy) == [nil, EntityRef(type: .execution, id: prepare)])
            #expect(trace.components.map(\.attempts) == [1, 2])
            #expect(run.attempts.map(\.executionID) == [prepare, fetch, fetch])
            #expect(run.attempts.last?.failure == .terminal)
            #expect(run.attempts.last?.output == nil)
        }
    }

    static func summary(_ attempt: RunAttempt) -> String {
        "\(attempt.node)|\(attempt.runID ?? "-")|\(attempt.attempt)|\(attempt.failure?.name ?? "-")|\(attempt.failureMessage ?? "-")"
    }

    static func summary(_ expected: [String: Any]) -> String {
        let failure = expected["failure"] as? String ?? "-"
        let message = expected["failure_message"] as? String ?? "-"
        return
            "\(expected["node_id"] ?? "")|\(expected["run_id"] ?? "")|\(expected["attempt"] ?? "")|\(failure)|\(message)"
    }

    static func entry(_ entry: RunDiff.Entry) -> String { "\(entry.kind.rawValue) \(entry.node) \(entry.attempt)" }

    static func entry(_ expected: [String: Any]) -> String {
        "\(expected["kind"] ?? "") \(expected["node_id"] ?? "") \(expected["attempt"] ?? "")"
    }
}
