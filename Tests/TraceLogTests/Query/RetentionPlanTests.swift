import Testing
import TraceLog
import TraceLogStorage

/// `purge --dry-run`: the plan a reader works out equals what retention then deletes.
@Suite struct RetentionPlanTests {
    @Test func thePlanIsWhatRetentionDeletes() async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 512))
        var events = Events()
        for index in 0..<300 { try await fixture.ingest(events.execution("ex-\(index)", tag: "t\(index)")) }
        let cutoff = Timestamp(microseconds: 1_795_000_000_000_000 + 150 * 1000)
        try fixture.store.refresh()
        let plan = try fixture.store.reader.retentionPlan(before: cutoff)
        #expect(!plan.segments.isEmpty)
        #expect(!plan.activeSegmentHasOlderRecords)
        let result = try await fixture.store.purge(before: cutoff)
        #expect(result.deletedSegments == plan.segments)
        #expect(result.deletedRecords == plan.records)
        #expect(result.startSeq == plan.startSeq)
        let later = try fixture.store.reader.retentionPlan(before: Timestamp(microseconds: .max))
        #expect(later.activeSegmentHasOlderRecords, "the active segment is never in a plan")
    }
}
