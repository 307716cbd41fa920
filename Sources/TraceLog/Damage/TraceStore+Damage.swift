public import TraceLogStorage

extension TraceStore {
    /// The trace with this id, rebuilt from its records, and the damage that may hide some of them.
    ///
    /// A trace's records all follow its trace-start record, so only damage at or after that record's seq
    /// counts; when no trace start is found, all known damage counts (it may hold the start). Batches that
    /// cannot be read are skipped and counted too. With ``DamagePolicy/fail``, any of it throws
    /// ``LogError/damaged(_:)``. Costs one index probe per segment, one read per batch holding a record of
    /// the trace, and a check of each segment's known damage (no allocation on a sound log).
    public func trace(_ id: TraceID, damage policy: DamagePolicy) throws(LogError) -> Answer<TraceProjection?> {
        try trace(id, near: nil, damage: policy)
    }

    /// ``trace(_:damage:)`` for a caller that knows where the trace starts (a trace list's entry): the batch
    /// holding that record is asked for while the index is read (see
    /// ``LogReader/records(inTrace:near:skippingDamage:)``); the answer is the same.
    func trace(_ id: TraceID, near start: UInt64?, damage policy: DamagePolicy) throws(LogError)
        -> Answer<TraceProjection?>
    {
        var damage: [DamagedRegion] = []
        let records = try reader.records(inTrace: id, near: start, skippingDamage: &damage)
        let span = records.first.map { $0.record.kind == .traceStart ? $0.seq..<UInt64.max : 0..<UInt64.max }
        damage += try reader.damage(touching: span ?? 0..<UInt64.max)
        return try policy.answer(records.isEmpty ? nil : TraceProjection(id: id, records: records), damage: damage)
    }

    /// Counts and sizes of the log (see ``LogReader/statistics()``). Known damage makes the counts short: with
    /// ``DamagePolicy/fail`` it throws ``LogError/damaged(_:)``.
    public func statistics(damage policy: DamagePolicy) throws(LogError) -> Answer<LogStatistics> {
        let statistics = try reader.statistics()
        return try policy.answer(statistics, damage: statistics.damage)
    }
}
