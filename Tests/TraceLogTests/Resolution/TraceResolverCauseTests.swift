import Testing
import TraceLog
import TraceLogStorage

/// Causes never cross traces (issue 14 item 6): whatever decides an event's trace, a traced cause must be in it.
@Suite struct TraceResolverCauseTests {
    /// Two traces: A holds tiA → exA, B holds tiB. Returns (A, B).
    private func twoTraces(_ fixture: StoreFixture, _ events: inout Events) async throws -> (TraceID, TraceID) {
        try await fixture.ingest(
            events.trigger("tiA", tag: "a"), events.execution("exA", causedBy: .triggerInstance("tiA")),
            events.trigger("tiB", tag: "b"))
        return (
            try #require(try fixture.store.traceID(of: .triggerInstance("tiA"))),
            try #require(try fixture.store.traceID(of: .triggerInstance("tiB")))
        )
    }

    /// Ingests one event that must be rejected with `error`, and checks that nothing was written.
    private func expectRejected(
        _ event: IncomingEvent, _ error: ResolutionError, _ fixture: StoreFixture,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = fixture.store.endSeq
        let result = try await fixture.store.ingest([event])
        #expect(result.accepted == 0, sourceLocation: sourceLocation)
        #expect(result.rejected.map(\.error) == [error], sourceLocation: sourceLocation)
        #expect(fixture.store.endSeq == before, sourceLocation: sourceLocation)
    }

    @Test func aCausationLinkToACauseInAnotherTraceIsRejected() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let (traceA, traceB) = try await twoTraces(fixture, &events)
        let expected = ResolutionError.causeInOtherTrace(
            cause: .triggerInstance("tiB"), causeTrace: traceB, trace: traceA, tag: nil)
        try await expectRejected(events.link(.execution("exA"), causedBy: .triggerInstance("tiB")), expected, fixture)
        // As `replay` writes it, with the entity's trace id.
        try await expectRejected(
            events.link(.execution("exA"), causedBy: .triggerInstance("tiB"), traceID: traceA), expected, fixture)
        #expect(expected.description == "caused_by trigger_instance tiB belongs to trace \(traceB), not \(traceA)")
    }

    @Test func aCauseInAnotherTraceThanTheExplicitTraceIDIsRejected() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let (traceA, traceB) = try await twoTraces(fixture, &events)
        // caused_by tiB, trace.id A.
        try await expectRejected(
            events.execution("exNew", causedBy: .triggerInstance("tiB"), traceID: traceA),
            .causeInOtherTrace(cause: .triggerInstance("tiB"), causeTrace: traceB, trace: traceA, tag: nil), fixture)
        // caused_by tiA, trace.id B: it would land in B.
        try await expectRejected(
            events.execution("exNew", causedBy: .triggerInstance("tiA"), traceID: traceB),
            .causeInOtherTrace(cause: .triggerInstance("tiA"), causeTrace: traceA, trace: traceB, tag: nil), fixture)
        // parent exA, trace.id B.
        try await expectRejected(
            events.execution("child", parent: "exA", traceID: traceB),
            .causeInOtherTrace(cause: .execution("exA"), causeTrace: traceA, trace: traceB, tag: nil), fixture)
        #expect(try fixture.store.trace(traceB)!.components.map(\.id) == ["tiB"])
    }

    @Test func aTagWithACauseInAnotherTraceIsRejected() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let (traceA, _) = try await twoTraces(fixture, &events)
        let error = ResolutionError.causeInOtherTrace(
            cause: .execution("exA"), causeTrace: traceA, trace: nil, tag: "fresh")
        try await expectRejected(events.execution("ex2", causedBy: .execution("exA"), tag: "fresh"), error, fixture)
        #expect(error.description.contains("not to the new trace tagged fresh"))
    }

    @Test func aCauseInTheSameTraceAndACauseNotTracedYetAreAccepted() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let (traceA, _) = try await twoTraces(fixture, &events)
        let results = try await fixture.ingest(
            events.execution("ex2", causedBy: .execution("exA"), traceID: traceA),
            events.link(.execution("ex2"), causedBy: .triggerInstance("tiA")),
            // An effect before its cause, as replay and OTLP deliver them: the trace id decides.
            events.execution("ex3", causedBy: .rule("not-yet"), traceID: traceA))
        #expect(results.map(\.accepted) == [1, 1, 1])
        let trace = try #require(try fixture.store.trace(traceA))
        #expect(trace.components.map(\.id) == ["tiA", "exA", "ex2", "ex3"])
    }

    @Test func effectsOfACauseStayComplete() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let (traceA, _) = try await twoTraces(fixture, &events)
        _ = try await fixture.store.ingest([events.execution("exB", causedBy: .triggerInstance("tiA"), tag: "b2")])
        let trace = try #require(try fixture.store.trace(traceA))
        let effects = trace.select(ComponentSelection(selector: .triggerInstance("tiA"), effects: true))
        #expect(effects.map(\.id) == ["tiA", "exA"])
        #expect(try fixture.store.traceID(of: .execution("exB")) == nil)
    }
}
