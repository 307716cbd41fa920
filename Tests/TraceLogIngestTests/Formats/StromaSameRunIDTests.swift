import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// The run-model fix of issue 15: each imported Stroma document is its own run, even when two share a `run_id`
/// (Stroma's `StromaRunner(run_id=…)` makes a fixed run id ordinary). Before it, the second document's attempts
/// joined the first one's trace as more attempts of the same executions.
@Suite("Stroma documents that share a run id")
struct StromaSameRunIDTests {
    /// The trace ids tagged `tag`, oldest first.
    static func traces(tagged tag: String, in store: TemporaryStore) throws -> [TraceID] {
        try store.store.reader.traceStarts(tag: tag).sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }.map(\.traceID)
    }

    @Test("the same export ingested twice is two traces, each exporting the document byte for byte")
    func sameExportTwice() async throws {
        let document = try Fixture.text("stroma-flaky.json")
        try await withTemporaryStore { store in
            for _ in 0..<2 { try await store.ingest(try StromaImporter().events(from: Array(document.utf8))) }
            let ids = try Self.traces(tagged: "run-flaky-run-1", in: store)
            #expect(ids.count == 2)
            for id in ids {
                let run = try #require(try store.store.run(id.description))
                #expect(run.attempts.map(\.attempt) == [1, 2, 3], "no duplicated attempts")
                #expect(StromaExporter().json(for: run) == document)
            }
            let executions = try ids.map { id in
                Set(try #require(try store.store.run(id.description)).attempts.map(\.executionID))
            }
            #expect(executions[0].isDisjoint(with: executions[1]), "executions never collide")
        }
    }

    @Test("two different documents with one run id each export their own document")
    func differentDocuments() async throws {
        let first = try Fixture.text("stroma-pair-a.json")
        let second = first.replacingOccurrences(of: "\"duration_ms\": 3,", with: "\"duration_ms\": 30,")
        #expect(second != first)
        try await withTemporaryStore { store in
            try await store.ingest(try StromaImporter().events(from: Array(first.utf8)))
            try await store.ingest(try StromaImporter().events(from: Array(second.utf8)))
            let ids = try Self.traces(tagged: "run-pair-run-a", in: store)
            #expect(ids.count == 2)
            let exports = try ids.map { StromaExporter().json(for: try #require(try store.store.run($0.description))) }
            #expect(Set(exports) == [first, second])
        }
    }

    @Test("a run id that names several traces is an error listing them; a trace id always names one")
    func ambiguousRunID() async throws {
        try await withTemporaryStore { store in
            for _ in 0..<2 {
                try await store.ingest(try StromaImporter().events(from: try Fixture.bytes("stroma-terminal.json")))
            }
            let ids = try Self.traces(tagged: "run-terminal-run-1", in: store)
            do {
                _ = try store.store.run("terminal-run-1")
                Issue.record("an ambiguous run id was accepted")
            } catch {
                let message = "\(error)"
                #expect(
                    message.hasPrefix(
                        "terminal-run-1 matches 2 traces tagged run-terminal-run-1; name one by its trace id:"))
                for id in ids { #expect(message.contains("\n  \(id)  started "), "lists \(id)") }
            }
            #expect(try store.store.run(ids[1].description)?.traceID == ids[1])
        }
    }

    @Test("runs whose ids and nodes spell the same <run>.<node> (x / y.z and x.y / z) no longer collide")
    func dottedIDs() async throws {
        func element(_ run: String, _ node: String) -> String {
            #"{"node_id": "\#(node)", "run_id": "\#(run)", "attempt": 1, "timestamp_utc": "2026-01-01T01:00:00+00:00", "input_state": {}, "output_state": null, "duration_ms": 1, "failure": null, "failure_message": null}"#
        }
        try await withTemporaryStore { store in
            try await store.ingest(try StromaImporter().events(from: Array("[\(element("x", "y.z"))]".utf8)))
            try await store.ingest(try StromaImporter().events(from: Array("[\(element("x.y", "z"))]".utf8)))
            #expect(try Self.traces(tagged: "run-x", in: store).count == 1)
            #expect(try Self.traces(tagged: "run-x.y", in: store).count == 1)
        }
    }
}
