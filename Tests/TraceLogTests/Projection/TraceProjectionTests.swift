import Testing
import TraceLog
import TraceLogStorage

/// SPEC §3: components, causes, noop triggers, causation chains and effects.
@Suite struct TraceProjectionTests {
    /// ae1 (user) → ti1 (action trigger) → r1 → ae2 → ti2 (action trigger, matches nothing).
    @Test func aCascadeThroughActionTriggersIsOneTrace() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.execution("ae1", tag: "connected"),
            events.trigger(
                "ti1", trigger: "core.st2.generic.actiontrigger", source: .actionTrigger, causedBy: .execution("ae1")),
            events.rule("r1-e1", rule: "r1", ref: "p.on_done", on: "ti1", execution: "ae2"),
            events.execution("ae2", causedBy: .rule("r1-e1")),
            events.trigger(
                "ti2", trigger: "core.st2.generic.actiontrigger", source: .actionTrigger, causedBy: .execution("ae2")))
        let trace = try fixture.trace(of: .execution("ae2"))
        #expect(trace.tag == "connected")
        #expect(trace.components.map(\.id) == ["ae1", "ti1", "r1-e1", "ae2", "ti2"])
        #expect(trace.components.map(\.type) == [.execution, .triggerInstance, .rule, .execution, .triggerInstance])
        #expect(trace.noopTriggerInstanceIDs == ["ti2"])
        let chain = trace.causationChain(of: trace.components(matching: .execution, id: "ae2"))
        #expect(chain.map(\.id) == ["ae1", "ti1", "r1-e1", "ae2"])
    }

    @Test func twoRulesOnOneTriggerInstanceAreTwoComponents() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.trigger("ti1", tag: "fanout"),
            events.rule("ra-1", rule: "ra", ref: "p.a", on: "ti1"),
            events.rule("rb-1", rule: "rb", ref: "p.b", on: "ti1"),
            events.execution("ea", causedBy: .rule("ra-1")), events.execution("eb", causedBy: .rule("rb-1")))
        let trace = try fixture.trace(of: .triggerInstance("ti1"))
        #expect(trace.components.filter { $0.type == .rule }.map(\.ref) == ["p.a", "p.b"])
        #expect(trace.noopTriggerInstanceIDs.isEmpty)
        #expect(
            trace.causationChain(of: trace.components(matching: .execution, id: "eb")).map(\.id) == [
                "ti1", "rb-1", "eb",
            ])
    }

    /// The StackStorm defect: its chain walk picks the first enforcement of a rule. Ours follows enforcement ids.
    @Test func oneRuleFiringTwiceInATraceGivesExactChains() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.execution("ae1", tag: "loop"),
            events.trigger("ti1", source: .actionTrigger, causedBy: .execution("ae1")),
            events.rule("loop-e1", rule: "loop", ref: "p.loop", on: "ti1"),
            events.execution("ae2", causedBy: .rule("loop-e1")),
            events.trigger("ti2", source: .actionTrigger, causedBy: .execution("ae2")),
            events.rule("loop-e2", rule: "loop", ref: "p.loop", on: "ti2"),
            events.execution("ae3", causedBy: .rule("loop-e2")))
        let trace = try fixture.trace(of: .execution("ae3"))
        #expect(trace.components.filter { $0.type == .rule }.map(\.id) == ["loop-e1", "loop-e2"])
        let chain = trace.causationChain(of: trace.components(matching: .execution, id: "ae3"))
        #expect(chain.map(\.id) == ["ae1", "ti1", "loop-e1", "ae2", "ti2", "loop-e2", "ae3"])
        let second = trace.causationChain(of: trace.components(matching: .rule, id: "loop-e2"))
        #expect(second.map(\.id) == ["ae1", "ti1", "loop-e1", "ae2", "ti2", "loop-e2"])
        let first = trace.causationChain(of: trace.components(matching: .rule, id: "loop-e1"))
        #expect(first.map(\.id) == ["ae1", "ti1", "loop-e1"], "not confused with the second firing")
        #expect(trace.components(matching: .rule, id: "loop").count == 2, "the rule id selects both firings")
    }

    @Test func effectsAreEverythingDownstream() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.trigger("ti1", tag: "tree"),
            events.rule("re1", rule: "r", ref: "p.r", on: "ti1"), events.execution("wf", causedBy: .rule("re1")),
            events.execution("c1", parent: "wf"), events.execution("c2", parent: "wf"),
            events.execution("g1", parent: "c1"), events.execution("other", parent: "wf"))
        let trace = try fixture.trace(of: .execution("wf"))
        #expect(trace.effects(of: trace.components(matching: .execution, id: "c1")).map(\.id) == ["c1", "g1"])
        #expect(
            trace.effects(of: trace.components(matching: .execution, id: "wf")).map(\.id) == [
                "wf", "c1", "c2", "g1", "other",
            ])
        #expect(trace.effects(of: trace.components(matching: .triggerInstance, id: "ti1")).count == 7)
    }

    @Test func workflowChildrenAreCausedByTheirParent() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.execution("wf", tag: "w"), events.execution("step-1", parent: "wf"))
        let trace = try fixture.trace(of: .execution("step-1"))
        #expect(trace.components.last?.causedBy == .execution("wf"))
    }
}

@Suite struct TraceListTests {
    @Test func filtersCombineSortAndPage() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        for index in 0..<12 {
            try await fixture.ingest(events.trigger("ti-\(index)", tag: index % 2 == 0 ? "even" : "odd"))
            try await fixture.ingest(
                events.rule("re-\(index)", rule: "rule-\(index % 3)", ref: "p.r\(index % 3)", on: "ti-\(index)"))
        }
        let all = try fixture.store.listTraces(TraceQuery(limit: nil))
        #expect(all.total == 12)
        #expect(all.traces.first?.components.first?.id == "ti-11", "newest first by default")
        let ascending = try fixture.store.listTraces(TraceQuery(limit: 3, offset: 2, order: .ascending))
        #expect(ascending.total == 12)
        #expect(ascending.traces.map { $0.components[0].id } == ["ti-2", "ti-3", "ti-4"])
        let combined = try fixture.store.listTraces(TraceQuery(tag: "even", rule: "rule-0", limit: nil))
        #expect(Set(combined.traces.map { $0.components[0].id }) == ["ti-0", "ti-6"])
        let byTrigger = try fixture.store.listTraces(TraceQuery(triggerInstance: "ti-5"))
        #expect(byTrigger.traces.map(\.tag) == ["odd"])
        let byEnforcement = try fixture.store.listTraces(TraceQuery(rule: "re-7"))
        #expect(byEnforcement.total == 1)
        let start = all.traces.last!.startTime
        let window = try fixture.store.listTraces(
            TraceQuery(since: start, until: Timestamp(microseconds: start.microseconds + 4_500), limit: nil))
        #expect(window.total == 3)
    }
}
