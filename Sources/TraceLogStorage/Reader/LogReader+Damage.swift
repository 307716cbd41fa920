extension LogReader {
    /// Every damage known in the log as of the last ``refresh()``, oldest segment first, each naming its segment
    /// file and offset and, where they are known, the sequence numbers it puts in doubt.
    ///
    /// Known damage: segment headers that fail their checks (see ``DamagedRegion/seqs``: the whole segment),
    /// corrupt batches found by a scan or recorded in an index file when it was built, a sealed segment's
    /// torn end, bytes cut off a sealed segment (its index file covered more), and records missing between two
    /// segments. Damage inside a batch that an index file still lists is found when the batch is read: such a
    /// read throws ``LogError/corruptBatch(segment:offset:reason:)``.
    ///
    /// Loads every segment's index; on a sound log it allocates nothing more.
    public func damage() throws(LogError) -> [DamagedRegion] {
        try damage(touching: 0..<UInt64.max)
    }

    /// The known damage that puts records in `span` in doubt (see ``DamagedRegion/touches(_:)``).
    public func damage(touching span: Range<UInt64>) throws(LogError) -> [DamagedRegion] {
        let all = try loadedSegments()
        var found: [DamagedRegion] = []
        for index in all.indices {
            let next = index + 1 < all.count ? all[index + 1].baseSeq : nil
            for region in try all[index].damage(expectedEnd: next) where region.touches(span) {
                found.append(region)
            }
        }
        return found
    }

    /// Every record of a trace, in sequence order, with batches that cannot be read skipped and added to
    /// `damage` instead of thrown (see ``records(inTrace:)``).
    public func records(inTrace traceID: TraceID, skippingDamage damage: inout [DamagedRegion]) throws(LogError)
        -> [StoredRecord]
    {
        try records(inTrace: traceID, near: nil, skippingDamage: &damage)
    }

    /// ``records(inTrace:skippingDamage:)`` for a caller that may know the sequence number of one of the trace's
    /// records (`near`: its trace start, from a trace-start table): the batch holding that record is asked for
    /// while the key filters are read, so on a cold cache it arrives with the postings instead of two round
    /// trips after them (the batch-table block, then the batch). Only a prefetch: the records are still found
    /// through the index, so a wrong or stale `near` changes no answer.
    package func records(inTrace traceID: TraceID, near seq: UInt64?, skippingDamage damage: inout [DamagedRegion])
        throws(LogError) -> [StoredRecord]
    {
        var skipped: [DamagedRegion]? = []
        defer { damage += skipped ?? [] }
        let seqs = try candidates(.traceID, hash: KeyHash.hash(traceID)) {
            if let seq { self.prefetchBatch(holding: seq) }
        }
        return try lookup(seqs: seqs, skipping: &skipped) { $0.traceID == traceID }
    }

    /// Records that carry `key` under `kind`, with batches that cannot be read skipped and added to `damage`
    /// instead of thrown (see ``records(_:key:)``).
    public func records(_ kind: IndexKind, key: String, skippingDamage damage: inout [DamagedRegion])
        throws(LogError) -> [StoredRecord]
    {
        let hash = kind == .traceID ? TraceID(hex: key).map(KeyHash.hash) ?? 0 : KeyHash.hash(kind, key)
        var skipped: [DamagedRegion]? = []
        defer { damage += skipped ?? [] }
        return try lookup(kind, hash: hash, skipping: &skipped) { IndexEntries.matches($0, kind: kind, key: key) }
    }

    /// The start of one trace, with batches that cannot be read skipped and added to `damage` instead of thrown
    /// (see ``traceStart(of:)``).
    public func traceStart(of traceID: TraceID, skippingDamage damage: inout [DamagedRegion]) throws(LogError)
        -> TraceStartEntry?
    {
        var skipped: [DamagedRegion]? = []
        defer { damage += skipped ?? [] }
        return try lookup(.traceID, hash: KeyHash.hash(traceID), limit: 1, skipping: &skipped) {
            $0.traceID == traceID && $0.kind == .traceStart
        }.first.map(TraceStartEntry.init)
    }
}
