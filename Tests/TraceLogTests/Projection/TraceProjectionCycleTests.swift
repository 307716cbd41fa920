import Testing
import TraceLog
import TraceLogStorage

/// Causes can form a cycle through the ingest API (issue 14 item 11): a causation link may name an effect as the
/// cause of its own cause, and a later attempt may name a cause its first attempt lacked. The projection keeps
/// every component with its cause, and its walks end.
@Suite struct TraceProjectionCycleTests {
    /// tiA → exA → ex2 → (link) tiA, with ex3 hanging below exA.
    private func cyclicTrace(_ fixture: StoreFixture) async throws -> TraceProjection {
        var events = Events()
        let results = try await fixture.ingest(
            events.trigger("tiA", tag: "loop"), events.execution("exA", causedBy: .triggerInstance("tiA")),
            events.execution("ex2", causedBy: .execution("exA")), events.execution("ex3", causedBy: .execution("exA")),
            events.link(.triggerInstance("tiA"), causedBy: .execution("ex2")))
        #expect(results.map(\.accepted) == [1, 1, 1, 1, 1], "a cycle within one trace is accepted")
        return try fixture.trace(of: .triggerInstance("tiA"))
    }

    @Test func aCausationLinkClosesACycleAndEveryComponentKeepsItsCause() async throws {
        let fixture = try StoreFixture()
        let trace = try await cyclicTrace(fixture)
        #expect(trace.components.map(\.id) == ["tiA", "exA", "ex2", "ex3"])
        #expect(
            trace.components.map(\.causedBy) == [
                .execution("ex2"), .triggerInstance("tiA"), .execution("exA"), .execution("exA"),
            ])
        #expect(trace.components.allSatisfy { $0.causedBy != nil }, "no root: a tree drawn from roots is empty")
        let json = trace.json()
        guard case .object(let members) = json,
            case .array(let components)? = members.first(where: { $0.0 == "components" })?.1
        else {
            Issue.record("trace JSON has no components")
            return
        }
        #expect(components.count == 4)
    }

    @Test func chainsAndEffectsOfACycleEnd() async throws {
        let fixture = try StoreFixture()
        let trace = try await cyclicTrace(fixture)
        let chain = trace.causationChain(of: trace.components(matching: .execution, id: "ex3"))
        #expect(chain.map(\.id) == ["tiA", "exA", "ex2", "ex3"])
        let effects = trace.effects(of: trace.components(matching: .execution, id: "ex2"))
        #expect(effects.map(\.id) == ["tiA", "exA", "ex2", "ex3"])
    }

    @Test func aLaterAttemptCanNameACauseThatClosesACycle() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.execution("ex1", tag: "retry-loop"), events.execution("ex2", causedBy: .execution("ex1")),
            events.execution("ex1", attempt: 2, causedBy: .execution("ex2")))
        let trace = try fixture.trace(of: .execution("ex1"))
        #expect(trace.components.map(\.causedBy) == [.execution("ex2"), .execution("ex1")])
    }
}
