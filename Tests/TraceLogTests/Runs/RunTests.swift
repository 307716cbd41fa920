import Testing
import TraceLog
import TraceLogStorage

/// SPEC §4: runs, failures(), events_for(), and the structured diff.
@Suite struct RunTests {
    /// Ingests a pipeline run: `flaky` fails `flakyFailures` times with a recoverable error, then succeeds;
    /// then `store` runs once. Node k is caused by node k-1's execution, as Stroma pipelines chain.
    private func ingestRun(
        _ fixture: StoreFixture, runID: String, flakyFailures: Int, output: String = #"{"result":10}"#
    ) async throws {
        var events = Events()
        var batch: [IncomingEvent] = []
        for attempt in 1...flakyFailures + 1 {
            let failed = attempt <= flakyFailures
            var event = events.execution(
                "\(runID).flaky", action: "flaky", attempt: UInt32(attempt), tag: attempt == 1 ? "run-\(runID)" : nil,
                failure: failed ? .recoverable : nil, runID: runID)
            if case .executionAttempt(var body) = event.body {
                body.input = RawJSON(#"{"value": 5}"#)
                body.output = failed ? nil : RawJSON(output)
                body.failureMessage = failed ? "Temporary failure" : nil
                body.durationMs = Double(attempt * 2)
                event.body = .executionAttempt(body)
            }
            batch.append(event)
        }
        batch.append(
            events.execution("\(runID).store", action: "store", causedBy: .execution("\(runID).flaky"), runID: runID))
        _ = try await fixture.store.ingest(batch, atomic: true)
    }

    @Test func aFlakyNodeThatFailsTwiceThenSucceedsHasThreeAttemptsAndTwoFailures() async throws {
        let fixture = try StoreFixture()
        try await ingestRun(fixture, runID: "r1", flakyFailures: 2)
        let run = try #require(try fixture.store.run("r1"))
        #expect(run.events(for: "flaky").map(\.attempt) == [1, 2, 3])
        #expect(run.failures().count == 2)
        #expect(run.failures().allSatisfy { $0.failure == .recoverable && $0.failureMessage == "Temporary failure" })
        #expect(run.attempts.map(\.node) == ["flaky", "flaky", "flaky", "store"])
        #expect(run.runID == "r1")
        #expect(try fixture.store.run(run.traceID.description) == run, "a run can be named by trace id too")
    }

    @Test func equalRunsHaveAnEmptyDiffAndRunIDsCanBeIgnored() async throws {
        let fixture = try StoreFixture()
        try await ingestRun(fixture, runID: "a", flakyFailures: 1)
        try await ingestRun(fixture, runID: "b", flakyFailures: 1)
        let a = try #require(try fixture.store.run("a"))
        let b = try #require(try fixture.store.run("b"))
        #expect(RunDiff(a, a).isEmpty)
        let strict = RunDiff(a, b)
        #expect(strict.entries.count == 3, "each attempt differs by run id only")
        #expect(strict.entries.allSatisfy { $0.kind == .changed && $0.changes.map(\.field) == ["run_id"] })
        #expect(RunDiff(a, b, ignoreRunID: true).isEmpty)
    }

    @Test func moreAttemptsAndChangedOutputsAreStructuredEntriesInNodeAttemptOrder() async throws {
        let fixture = try StoreFixture()
        try await ingestRun(fixture, runID: "a", flakyFailures: 1)
        try await ingestRun(fixture, runID: "b", flakyFailures: 2, output: #"{"result": 11}"#)
        try await ingestRun(fixture, runID: "c", flakyFailures: 1, output: #"{ "result" : 10.0 }"#)
        let a = try #require(try fixture.store.run("a"))
        let diff = RunDiff(a, try #require(try fixture.store.run("b")), ignoreRunID: true)
        #expect(diff.entries.map(\.kind) == [.changed, .extra])
        #expect(diff.entries.map(\.node) == ["flaky", "flaky"])
        #expect(diff.entries.map(\.attempt) == [2, 3])
        let changed = diff.entries[0]
        #expect(changed.changes.map(\.field) == ["output_state", "failure", "failure_message"])
        #expect(changed.changes[0].a == .raw(#"{"result":10}"#))
        #expect(changed.changes[0].b == .null)
        #expect(changed.changes[1].b == .string("RECOVERABLE"))
        #expect(
            diff.json.serialized().hasPrefix(
                #"[{"kind":"changed","node_id":"flaky","attempt":2,"changes":[{"field":"output_state","a":{"result":10},"b":null}"#
            ))
        #expect(RunDiff(a, try #require(try fixture.store.run("c")), ignoreRunID: true).isEmpty, "equal JSON is equal")
        #expect(
            RunDiff(try #require(try fixture.store.run("b")), a, ignoreRunID: true).entries.map(\.kind) == [
                .changed, .missing,
            ])
    }
}
