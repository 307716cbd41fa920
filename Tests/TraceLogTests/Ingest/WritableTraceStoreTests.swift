import Foundation
import Testing
import TraceLog
import TraceLogStorage

/// The writing store's ingest calls: per-event outcomes, modes, concurrent calls, the bounded resolution cache.
@Suite struct WritableTraceStoreTests {
    @Test func everyStoredEventComesBackWithItsTraceAndSequenceNumber() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let batch = [
            events.trigger("ti-1", tag: "deploy"),
            events.rule("re-1", rule: "r", ref: "pack.r", on: "ti-1"),
            events.execution("ex-1", causedBy: EntityRef(type: .rule, id: "re-1")),
        ]
        let result = try await fixture.store.ingest(batch)
        #expect(result.accepted == 3 && result.seqs == 0..<4, "a trace start, then the three events")
        let trace = try #require(result.outcomes.first?.traceID)
        #expect(result.outcomes.map(\.traceID) == [trace, trace, trace])
        #expect(result.outcomes.map(\.seq) == [1, 2, 3])
        for (outcome, event) in zip(result.outcomes, batch) {
            let stored = try fixture.store.reader.record(at: try #require(outcome.seq))
            #expect(stored.record.body == event.body && stored.record.traceID == trace)
        }
    }

    @Test func aRejectedEventGetsItsErrorAndTheRestOfItsUnitIsNotStored() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        var batch = IngestBatch(mode: .independent)
        batch.append(events.trigger("ti-1"))
        batch.append(unit: [
            events.execution("ex-1", causedBy: EntityRef(type: .triggerInstance, id: "ti-1")),
            events.execution("ex-2", causedBy: EntityRef(type: .execution, id: "missing")),
        ])
        batch.append(events.execution("ex-3", causedBy: EntityRef(type: .execution, id: "ex-1")))
        let result = try await fixture.store.ingest(batch)
        #expect(result.outcomes[1] == .notStored)
        #expect(result.outcomes[2] == .rejected(.causeNotFound(EntityRef(type: .execution, id: "missing"))))
        #expect(
            result.outcomes[3] == .rejected(.causeNotFound(EntityRef(type: .execution, id: "ex-1"))),
            "ex-1 was taken out with its unit")
        #expect(result.rejectedUnits.map(\.unit) == [1, 2])
        #expect(fixture.store.endSeq == 2, "the trigger instance and its trace start only")
    }

    @Test func stopAtFirstRejectionKeepsWhatCameBefore() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let batch = IngestBatch(
            events: [
                events.trigger("ti-1"), events.execution("ex-1", causedBy: EntityRef(type: .execution, id: "nope")),
                events.trigger("ti-2"),
            ], mode: .stopAtFirstRejection)
        let result = try await fixture.store.ingest(batch)
        #expect(result.outcomes.map(\.seq) == [1, nil, nil])
        #expect(result.outcomes[2] == .notStored)
        #expect(fixture.store.endSeq == 2)
    }

    @Test func anAtomicCallWithOneRejectionWritesNothing() async throws {
        let fixture = try StoreFixture()
        var events = Events()
        let batch = IngestBatch(
            events: [events.trigger("ti-1", tag: "t"), events.execution("ex-1", traceID: TraceID.random())],
            mode: .atomic)
        let result = try await fixture.store.ingest(batch)
        #expect(result.accepted == 0 && result.outcomes[0] == .notStored)
        #expect(fixture.store.endSeq == 0)
        #expect(try fixture.store.traceID(of: EntityRef(type: .triggerInstance, id: "ti-1")) == nil)
    }

    @Test func concurrentCallsAreEachStoredWholeWithTheirOwnSequenceNumbers() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let results = try await withThrowingTaskGroup(of: (Int, IngestResult).self) { group in
            for caller in 0..<40 {
                group.addTask {
                    var events = Events()
                    let batch = (0..<25).map { index in
                        index == 0
                            ? events.trigger("ti-\(caller)", tag: "caller-\(caller)")
                            : events.execution(
                                "ex-\(caller)-\(index)",
                                causedBy: EntityRef(
                                    type: index == 1 ? .triggerInstance : .execution,
                                    id: index == 1 ? "ti-\(caller)" : "ex-\(caller)-\(index - 1)"))
                    }
                    return (caller, try await store.ingest(batch, atomic: true))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        var seqs = Set<UInt64>()
        for (caller, result) in results {
            #expect(result.accepted == 25)
            let trace = try #require(result.outcomes.first?.traceID)
            #expect(result.outcomes.allSatisfy { $0.traceID == trace }, "caller \(caller)")
            for outcome in result.outcomes { seqs.insert(try #require(outcome.seq)) }
            #expect(try store.trace(trace)?.components.count == 25)
        }
        #expect(seqs.count == 40 * 25 && store.endSeq == 40 * 26)
    }

    @Test func resolutionStaysExactWhenTheBoundedCacheForgets() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-cache-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try WritableTraceStore.open(
            directory: directory, options: LogOptions(durability: .none), resolutionCacheEntries: 4)
        var events = Events()
        _ = try await store.ingest([events.trigger("root", tag: "chain")])
        for index in 0..<200 {
            let cause =
                index == 0 ? EntityRef(type: .triggerInstance, id: "root") : EntityRef(type: .execution, id: "ex-0")
            let result = try await store.ingest([events.execution("ex-\(index)", causedBy: cause)])
            #expect(result.rejected.isEmpty)
        }
        let trace = try #require(try store.traceID(of: EntityRef(type: .triggerInstance, id: "root")))
        #expect(try store.trace(trace)?.components.count == 201)
        #expect(try store.listTraces(TraceQuery(limit: nil)).total == 1, "ex-0, long evicted, was found in the index")
        try store.close()
    }

    /// Only a log that was empty when the store opened skips the indexes for entities its cache does not know:
    /// reopened, the log's entities are found there.
    @Test func aReopenedLogFindsItsEntitiesInTheIndexes() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-reopen-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var events = Events()
        let first = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        let root = try await first.ingest([events.trigger("root", tag: "chain")])
        try first.close()
        let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        let later = try await store.ingest([
            events.execution("ex-1", causedBy: EntityRef(type: .triggerInstance, id: "root"))
        ])
        #expect(later.rejected.isEmpty)
        #expect(later.outcomes.first?.traceID == root.outcomes.first?.traceID)
        try store.close()
    }

    /// New entities enter the resolution cache when resolved: a rejected atomic request must take them out again,
    /// or a later event would join a trace through an entity that was never written.
    @Test func aRejectedAtomicRequestLeavesNothingInTheCache() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-rollback-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        var events = Events()
        let rejected = try await store.ingest(
            IngestBatch(
                events: [
                    events.trigger("t-1", tag: "request"),
                    events.execution("ex-1", causedBy: EntityRef(type: .triggerInstance, id: "t-1")),
                    events.execution("ex-2", causedBy: EntityRef(type: .execution, id: "missing")),
                ], mode: .atomic))
        #expect(rejected.accepted == 0 && rejected.rejected.count == 1 && store.endSeq == 0)
        let later = try await store.ingest([events.execution("ex-3", causedBy: EntityRef(type: .execution, id: "ex-1"))]
        )
        #expect(later.rejected.map(\.error) == [.causeNotFound(EntityRef(type: .execution, id: "ex-1"))])
        #expect(try store.traceID(of: EntityRef(type: .triggerInstance, id: "t-1")) == nil)
        try store.close()
    }

    /// One request introducing more entities than two cache generations hold: its last event still finds its
    /// first one, which is pending (not in the indexes yet) when the generations holding it are dropped.
    @Test func aRequestLargerThanTheCacheStillResolvesAgainstItself() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-large-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try WritableTraceStore.open(
            directory: directory, options: LogOptions(durability: .none), resolutionCacheEntries: 2)
        var events = Events()
        var batch = [events.execution("first", tag: "first")]
        for index in 0..<20 { batch.append(events.execution("other-\(index)", tag: "other-\(index)")) }
        batch.append(events.execution("last", causedBy: EntityRef(type: .execution, id: "first")))
        let result = try await store.ingest(IngestBatch(events: batch, mode: .atomic))
        #expect(result.rejected.isEmpty && result.accepted == 22)
        #expect(result.outcomes.first?.traceID == result.outcomes.last?.traceID)
        #expect(try store.listTraces(TraceQuery(limit: nil)).total == 21)
        try store.close()
    }
}
