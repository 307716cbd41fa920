import Testing
import TraceLog
import TraceLogStorage

/// SPEC §2, one rule per test.
@Suite struct TraceResolutionTests {
    @Test func anExplicitTraceIDJoinsThatTrace() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.trigger("ti-1", tag: "deploy"))
        let traceID = try fixture.store.traceID(of: .triggerInstance("ti-1"))!
        try await fixture.ingest(events.execution("ex-9", traceID: traceID))
        #expect(try fixture.store.traceID(of: .execution("ex-9")) == traceID)
    }

    @Test func anUnknownTraceIDIsRejectedAndNothingIsWritten() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let missing = TraceID(hex: "0123456789abcdef0123456789abcdef")!
        let before = fixture.store.endSeq
        let result = try await fixture.store.ingest([events.execution("ex-1", traceID: missing)])
        #expect(result.accepted == 0)
        #expect(result.rejected.map(\.error) == [.traceNotFound(missing)])
        #expect(result.rejected.first?.error.description == "trace 0123456789abcdef0123456789abcdef not found")
        #expect(fixture.store.endSeq == before)
    }

    @Test func whenIDAndTagAreBothGivenTheIDWinsAndTheTraceKeepsItsTag() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.trigger("ti-1", tag: "original"))
        let traceID = try fixture.store.traceID(of: .triggerInstance("ti-1"))!
        var joining = events.execution("ex-1")
        joining.trace = TraceContext(id: traceID, tag: "ignored")
        try await fixture.ingest(joining)
        let trace = try fixture.store.trace(traceID)!
        #expect(trace.tag == "original")
        #expect(trace.components.map(\.id) == ["ti-1", "ex-1"])
        #expect(try fixture.store.listTraces(TraceQuery(tag: "ignored")).total == 0)
    }

    @Test func aTagAloneAlwaysStartsANewTraceEvenWhenTheTagIsTaken() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.trigger("ti-1", tag: "nightly"), events.trigger("ti-2", tag: "nightly"))
        let first = try fixture.store.traceID(of: .triggerInstance("ti-1"))
        let second = try fixture.store.traceID(of: .triggerInstance("ti-2"))
        #expect(first != nil && second != nil && first != second)
        let page = try fixture.store.listTraces(TraceQuery(tag: "nightly"))
        #expect(page.total == 2)
        #expect(Set(page.traces.map(\.id)) == Set([first!, second!]))
    }

    @Test func aCauseJoinsItsTraceAndAnUnknownCauseIsRejected() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.trigger("ti-1"), events.rule("re-1", rule: "r-1", ref: "p.r", on: "ti-1"))
        #expect(try fixture.store.traceID(of: .rule("re-1")) == fixture.store.traceID(of: .triggerInstance("ti-1")))
        let before = fixture.store.endSeq
        let result = try await fixture.store.ingest([events.execution("ex-1", causedBy: .rule("re-404"))])
        #expect(result.rejected.map(\.error.description) == ["no trace found for rule re-404"])
        #expect(fixture.store.endSeq == before)
    }

    @Test func aParentJoinsItsTrace() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.execution("wf-1", tag: "workflow"), events.execution("child-1", parent: "wf-1"))
        let trace = try fixture.trace(of: .execution("wf-1"))
        #expect(trace.components.map(\.id) == ["wf-1", "child-1"])
        #expect(trace.components[1].causedBy == .execution("wf-1"))
    }

    @Test func laterAttemptsJoinTheExecutionsTraceAndNeverStartASecondOne() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.execution("ex-1", tag: "first"),
            events.execution("ex-1", attempt: 2),
            events.execution("ex-1", attempt: 3, tag: "would-start-a-new-trace-in-st2"))
        let trace = try fixture.trace(of: .execution("ex-1"))
        #expect(trace.components.count == 1)
        #expect(trace.components[0].attempts == 3)
        #expect(try fixture.store.listTraces(TraceQuery(limit: nil)).total == 1)
    }

    @Test func anExplicitTraceIDThatConflictsWithTheEntitysTraceIsRejected() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.execution("ex-1", tag: "a"), events.execution("ex-2", tag: "b"))
        let traceA = try fixture.store.traceID(of: .execution("ex-1"))!
        let traceB = try fixture.store.traceID(of: .execution("ex-2"))!
        let result = try await fixture.store.ingest([events.execution("ex-1", attempt: 2, traceID: traceB)])
        #expect(
            result.rejected.map(\.error) == [
                .entityInOtherTrace(entity: .execution("ex-1"), existing: traceA, requested: traceB)
            ])
        #expect(try fixture.store.trace(traceB)!.components.map(\.id) == ["ex-2"])
    }

    @Test func automaticTagsNameTheOrigin() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(
            events.execution("ex-7"), events.trigger("ti-7"),
            events.trigger("ti-8", trigger: "core.st2.webhook", source: .webhook, hook: "github"),
            events.trigger("ti-9", trigger: "core.st2.IntervalTimer", source: .timer, timer: "every-5m"))
        #expect(try fixture.trace(of: .execution("ex-7")).tag == "execution-ex-7")
        #expect(try fixture.trace(of: .triggerInstance("ti-7")).tag == "trigger_instance-ti-7")
        #expect(try fixture.trace(of: .triggerInstance("ti-9")).tag == "core.st2.IntervalTimer-every-5m")
        let webhook = try fixture.trace(of: .triggerInstance("ti-8")).tag
        #expect(webhook.hasPrefix("webhook-github-"))
        #expect(webhook.count == "webhook-github-".count + 32)
    }

    @Test func inAnAtomicBatchOneBadEventRejectsAllAndLaterEventsSeeEarlierOnes() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let good = [events.trigger("ti-1", tag: "t"), events.rule("re-1", rule: "r", ref: "p.r", on: "ti-1")]
        let bad = events.execution("ex-1", causedBy: .rule("missing"))
        let atomic = try await fixture.store.ingest(good + [bad], atomic: true)
        #expect(atomic.accepted == 0)
        #expect(atomic.rejected.map(\.index) == [2])
        #expect(fixture.store.endSeq == 0)
        let lenient = try await fixture.store.ingest(good + [bad], atomic: false)
        #expect(lenient.accepted == 2)
        #expect(try fixture.store.traceID(of: .rule("re-1")) == fixture.store.traceID(of: .triggerInstance("ti-1")))
    }
}

/// The OpenTelemetry exception to SPEC §2 (``ResolutionMode/openTelemetry``): spans arrive in any order.
@Suite struct OpenTelemetryResolutionTests {
    static let traceID = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!

    static func span(_ id: String, parent: String? = nil, traceID: TraceID = traceID, tag: String = "orders")
        -> IncomingEvent
    {
        IncomingEvent(
            body: .executionAttempt(
                ExecutionAttempt(
                    id: id, action: "op-\(id)", causedBy: parent.map { EntityRef(type: .execution, id: $0) })),
            time: Timestamp(microseconds: 1_795_000_000_000_000), trace: TraceContext(id: traceID, tag: tag),
            mode: .openTelemetry)
    }

    @Test func theFirstSpanCreatesTheTraceWithItsIDAndTagEvenBeforeItsParent() async throws {
        let fixture = try StoreFixture()
        let result = try await fixture.store.ingest([Self.span("child", parent: "root")])
        #expect(result.rejected.isEmpty && result.seqs.count == 2)
        let trace = try #require(try fixture.store.trace(Self.traceID))
        #expect(trace.tag == "orders")
        #expect(trace.components.map(\.id) == ["child"])
        // Later spans join it; a later tag does not rename it.
        _ = try await fixture.store.ingest([Self.span("root", tag: "other")])
        let whole = try #require(try fixture.store.trace(Self.traceID))
        #expect(whole.tag == "orders")
        let chain = whole.causationChain(of: whole.components(matching: .execution, id: "child"))
        #expect(Set(chain.map(\.id)) == ["child", "root"])
    }

    @Test func aSpanStoredAlreadyOrInAnotherTraceIsRejected() async throws {
        let fixture = try StoreFixture()
        _ = try await fixture.store.ingest([Self.span("root")])
        let other = TraceID(hex: "00000000000000000000000000000001")!
        let result = try await fixture.store.ingest([Self.span("root"), Self.span("root", traceID: other)])
        #expect(
            result.rejected.map(\.error) == [
                .alreadyStored(EntityRef(type: .execution, id: "root")),
                .entityInOtherTrace(
                    entity: EntityRef(type: .execution, id: "root"), existing: Self.traceID, requested: other),
            ])
        #expect(try fixture.store.trace(other) == nil)
    }

    @Test func theStandardModeStillRejectsAnUnknownTraceID() async throws {
        let fixture = try StoreFixture()
        var standard = Self.span("root")
        standard.mode = .standard
        let result = try await fixture.store.ingest([standard])
        #expect(result.rejected.map(\.error) == [.traceNotFound(Self.traceID)])
    }
}
