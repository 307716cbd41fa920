import Testing
import TraceLog
import TraceLogStorage

/// Issue 18: outcomes of executions and traces, attempts per execution, the engine of a trace, `--failed`, and
/// a component's details (chain up, effects down, attempts with input and output).
@Suite struct OutcomeTests {
    /// A webhook → rule → execution that fails once (RECOVERABLE), is retried and fails for good (TERMINAL).
    func failingCascade(_ fixture: StoreFixture, tag: String, retrySucceeds: Bool) async throws -> TraceProjection {
        var events = Events()
        let trigger = events.trigger("ti-\(tag)", tag: tag, payload: RawJSON(#"{"ref":"main"}"#))
        let rule = events.rule("re-\(tag)", rule: "r-1", ref: "ci.on_push", on: "ti-\(tag)", execution: "ex-\(tag)")
        var first = events.execution(
            "ex-\(tag)", action: "ci.build", attempt: 1, causedBy: .rule("re-\(tag)"), failure: .recoverable)
        if case .executionAttempt(var body) = first.body {
            body.failureMessage = "connection reset"
            body.durationMs = 12
            body.input = RawJSON(#"{"x":1}"#)
            first.body = .executionAttempt(body)
        }
        var second = events.execution(
            "ex-\(tag)", action: "ci.build", attempt: 2, failure: retrySucceeds ? nil : .terminal)
        if case .executionAttempt(var body) = second.body {
            body.durationMs = 30
            body.output = retrySucceeds ? RawJSON(#"{"ok":true}"#) : nil
            second.body = .executionAttempt(body)
        }
        try await fixture.ingest(
            trigger, rule, first, second, events.trigger("ti2-\(tag)", causedBy: .execution("ex-\(tag)")))
        return try fixture.trace(of: .triggerInstance("ti-\(tag)"))
    }

    @Test func anExecutionsOutcomeIsItsLastAttempts() async throws {
        let fixture = try StoreFixture()
        let failed = try await failingCascade(fixture, tag: "a", retrySucceeds: false)
        let execution = try #require(failed.components.first { $0.type == .execution })
        #expect(execution.attemptSummaries.map(\.attempt) == [1, 2])
        #expect(execution.attemptSummaries.map(\.failure) == [.recoverable, .terminal])
        #expect(execution.attemptSummaries[0].failureMessage == "connection reset")
        #expect(execution.attemptSummaries[0].durationMs == 12)
        #expect(execution.outcome == "TERMINAL")
        #expect(failed.outcome == .failed)
        #expect(failed.failedExecutions == 1)
        #expect(failed.engine == .stackstorm)
        #expect(failed.components.first { $0.type == .triggerInstance }?.outcome == nil)

        let recovered = try await failingCascade(fixture, tag: "b", retrySucceeds: true)
        #expect(recovered.components.first { $0.type == .execution }?.outcome == "succeeded")
        #expect(recovered.outcome == .succeeded)
    }

    @Test func statusesWithoutAFailureClassCount() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        var running = events.execution("ex-r", tag: "r")
        var timedOut = events.execution("ex-t", tag: "t")
        if case .executionAttempt(var body) = running.body {
            body.status = "running"
            running.body = .executionAttempt(body)
        }
        if case .executionAttempt(var body) = timedOut.body {
            body.status = "timeout"
            timedOut.body = .executionAttempt(body)
        }
        try await fixture.ingest(running, timedOut, events.trigger("ti-n", tag: "n"))
        #expect(try fixture.trace(of: .execution("ex-r")).outcome == .running)
        #expect(try fixture.trace(of: .execution("ex-t")).outcome == .failed)
        #expect(try fixture.trace(of: .execution("ex-t")).components[0].outcome == "timeout")
        #expect(try fixture.trace(of: .triggerInstance("ti-n")).outcome == TraceOutcome.none)
    }

    @Test func failedOnlyCountsAndPagesFailingTracesAlone() async throws {
        let fixture = try StoreFixture()
        for (index, fails) in [true, false, true, true, false].enumerated() {
            _ = try await failingCascade(fixture, tag: "t\(index)", retrySucceeds: !fails)
        }
        var query = TraceQuery(limit: 2, offset: 1, order: .ascending)
        query.failedOnly = true
        let page = try fixture.store.listTraces(query)
        #expect(page.total == 3)
        #expect(page.traces.map(\.tag) == ["t2", "t3"])
        #expect(try fixture.store.listTraces(TraceQuery(limit: nil)).total == 5)
    }

    @Test func detailsGiveAttemptsPayloadChainAndEffects() async throws {
        let fixture = try StoreFixture()
        let trace = try await failingCascade(fixture, tag: "d", retrySucceeds: true)
        let details = try #require(trace.details(of: .execution("ex-d")))
        #expect(details.chain.map(\.id) == ["ti-d", "re-d"])
        #expect(details.effects.map(\.id) == ["ti2-d"])
        let json = details.json.serialized()
        #expect(json.contains(#""input":{"x":1}"#))
        #expect(json.contains(#""output":{"ok":true}"#))
        #expect(json.contains(#""failure_message":"connection reset""#))
        let trigger = try #require(trace.details(of: .triggerInstance("ti-d")))
        #expect(trigger.json.serialized().contains(#""payload":{"ref":"main"}"#))
        #expect(trigger.chain.isEmpty)
        #expect(trigger.effects.map(\.id) == ["re-d", "ex-d", "ti2-d"])
        #expect(trace.details(of: .execution("nope")) == nil)
    }

    @Test func aUniqueIDPrefixNamesATraceAndAnAmbiguousOneSaysSo() async throws {
        let fixture = try StoreFixture()
        let one = "abcd" + String(repeating: "1", count: 28)
        let two = "abcd" + String(repeating: "2", count: 28)
        for (id, tag) in [(one, "first"), (two, "second")] {
            try await fixture.ingest(
                IncomingEvent(body: .traceStart(TraceStart(tag: tag)), trace: TraceContext(id: TraceID(hex: id))))
        }
        #expect(try fixture.store.traceNamed("abcd1")?.id.description == one)
        #expect(try fixture.store.traceNamed("second")?.id.description == two, "a tag still names its trace")
        do {
            _ = try fixture.store.traceNamed("abcd")
            Issue.record("an ambiguous prefix named a trace")
        } catch {
            #expect("\(error)".contains("abcd is the start of 2 trace ids; give more of it:"))
            #expect("\(error)".contains(one) && "\(error)".contains(two))
        }
        #expect(try fixture.store.traceNamed("abc") == nil, "fewer than 4 characters is no prefix")
        #expect(try fixture.store.traceNamed("abce") == nil)
    }
}
