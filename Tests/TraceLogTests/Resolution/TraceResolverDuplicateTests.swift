import Testing
import TraceLog
import TraceLogStorage

/// A trigger instance is recorded once (issue 14 item 13): the same content again is a no-op reported as a
/// duplicate; another content is rejected, naming the first record's sequence number.
@Suite struct TraceResolverDuplicateTests {
    private static let time = Timestamp(microseconds: 1_795_000_000_000_000)

    private func trigger(_ payload: String, time: Timestamp? = TraceResolverDuplicateTests.time) -> IncomingEvent {
        IncomingEvent(
            body: .triggerInstance(
                TriggerInstance(id: "ti-1", trigger: "core.st2.sensor", source: .sensor, payload: RawJSON(payload))),
            time: time, trace: TraceContext(tag: "t"))
    }

    @Test func theSameContentAgainIsANoOpReportedAsADuplicate() async throws {
        let fixture = try StoreFixture()
        let first = try await fixture.store.ingest([trigger(#"{"a":1}"#)])
        #expect(first.accepted == 1 && first.duplicates == 0)
        let end = fixture.store.endSeq
        for again in [trigger(#"{"a":1}"#), trigger(#"{"a":1}"#, time: nil)] {
            let result = try await fixture.store.ingest([again], atomic: true)
            #expect(result.accepted == 0)
            #expect(result.rejected.isEmpty)
            #expect(result.duplicates == 1)
        }
        #expect(fixture.store.endSeq == end)
        #expect(try fixture.store.listTraces(TraceQuery(limit: nil)).total == 1)
    }

    @Test func anotherContentIsRejectedNamingTheFirstRecordsSeq() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.execution("ex-0", tag: "other"))
        _ = try await fixture.store.ingest([trigger(#"{"a":1}"#)])
        let firstSeq = try #require(
            try fixture.store.trace(fixture.store.traceID(of: .triggerInstance("ti-1"))!)?.components.first?.seq)
        let end = fixture.store.endSeq
        for conflicting in [
            trigger(#"{"a":2}"#), trigger(#"{"a": 1}"#),
            trigger(#"{"a":1}"#, time: Timestamp(microseconds: 1_795_000_000_000_001)),
        ] {
            let result = try await fixture.store.ingest([conflicting])
            let error = ResolutionError.conflictingDuplicate(
                entity: .triggerInstance("ti-1"), firstSeq: firstSeq, inThisBatch: false)
            #expect(result.rejected.map(\.error) == [error])
            #expect(result.duplicates == 0)
            #expect(
                result.rejected.first?.error.description
                    == "trigger_instance ti-1 is already recorded at seq \(firstSeq) with a different content")
        }
        #expect(fixture.store.endSeq == end)
    }

    @Test func inOneBatchTheSecondIsADuplicateOrRejectedWithTheSeqTheFirstGets() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        try await fixture.ingest(events.execution("ex-0", tag: "other"))
        let start = fixture.store.endSeq
        let result = try await fixture.store.ingest(
            [trigger(#"{"a":1}"#), trigger(#"{"a":1}"#), trigger(#"{"b":1}"#)], atomic: false)
        #expect(result.accepted == 1)
        #expect(result.duplicates == 1)
        // The trace start takes `start`, the trigger instance `start + 1`.
        #expect(
            result.rejected.map(\.error) == [
                .conflictingDuplicate(entity: .triggerInstance("ti-1"), firstSeq: start + 1, inThisBatch: true)
            ])
        let stored = try fixture.store.reader.record(at: start + 1)
        #expect(stored.record.body.entity == .triggerInstance("ti-1"))
        #expect(fixture.store.endSeq == start + 2)
    }

    @Test func executionsStillTakeManyRecords() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let results = try await fixture.ingest(events.execution("ex-1", tag: "t"), events.execution("ex-1", attempt: 2))
        #expect(results.map(\.accepted) == [1, 1])
        #expect(results.map(\.duplicates) == [0, 0])
    }
}
