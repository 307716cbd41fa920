/// What a retention pass with a given cut-off would delete, worked out by a reader without deleting anything
/// (`tracelog purge --dry-run`), and whether the active segment holds records it cannot delete.
public struct RetentionPlan: Hashable, Sendable {
    /// The sealed segments a pass would delete, oldest first.
    public var segments: [String] = []
    /// Records they hold.
    public var records: UInt64 = 0
    /// The first sequence number the log would keep.
    public var startSeq: UInt64 = 0
    /// Whether the active (last) segment holds records older than the cut-off: retention never deletes it, so
    /// those stay until it is sealed (it rolls at its size limit).
    public var activeSegmentHasOlderRecords = false
}

extension LogReader {
    /// The retention plan for `cutoff`, by the rule ``LogWriter/deleteSegments(olderThan:)`` follows: sealed
    /// segments whose newest record is older than `cutoff`, oldest first, stopping at the first that is not.
    /// Cost: the batch tables of the sealed segments (their index files) and of the active one.
    public func retentionPlan(before cutoff: Timestamp) throws(LogError) -> RetentionPlan {
        let segments = try loadedSegments()
        var plan = RetentionPlan(startSeq: segments.first?.baseSeq ?? 0)
        var stopped = false
        for (index, segment) in segments.enumerated() {
            let batches = try segment.allBatches()
            if index == segments.count - 1 {
                plan.activeSegmentHasOlderRecords = batches.contains { $0.minTime < cutoff.microseconds }
                break
            }
            guard !stopped, let newest = batches.map(\.maxTime).max(), newest < cutoff.microseconds else {
                stopped = true
                continue
            }
            plan.segments.append(segment.name)
            plan.startSeq = segments[index + 1].baseSeq
        }
        if let first = segments.first, !plan.segments.isEmpty { plan.records = plan.startSeq - first.baseSeq }
        return plan
    }
}
