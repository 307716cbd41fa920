extension LogReader {
    /// Calls `body` with every record of a trace, in sequence order, as a zero-copy view: what projections of
    /// very large traces read, since no ``Record`` is built and nothing is kept between records.
    ///
    /// Costs what ``records(inTrace:)`` costs less the decoding: one index probe per segment whose key filter
    /// passes the trace, then one batch read per batch holding a record of it. Memory: the trace's candidate
    /// sequence numbers (8 bytes each) and one batch at a time. Batches that cannot be read, and records whose
    /// field list is malformed or that `body` fails to decode, are skipped (the rest of their batch) and added to
    /// `damage` instead of thrown.
    public func forEachRecord(
        inTrace traceID: TraceID, skippingDamage damage: inout [DamagedRegion],
        _ body: (UInt64, RecordView) throws(RecordDecodingError) -> Void
    ) throws(LogError) {
        var skipped: [DamagedRegion]? = []
        defer { damage += skipped ?? [] }
        let seqs = try candidates(.traceID, hash: KeyHash.hash(traceID))
        try visit(seqs: seqs, skipping: &skipped, matching: { $0.traceID == traceID }) {
            seq, view throws(RecordDecodingError) in
            try body(seq, view)
            return true
        }
    }

    /// Calls `body` with the records of a trace at the given sequence numbers (ascending), in order, as
    /// zero-copy views: a second pass over records an earlier pass found (a page of a large trace), without
    /// probing the index again. Sequence numbers that hold no record of the trace are skipped.
    ///
    /// Costs one batch-table search and one batch read (often from the batch cache) per batch holding one of
    /// `seqs`. Damage is skipped and added to `damage` as for ``forEachRecord(inTrace:skippingDamage:_:)``.
    public func forEachRecord(
        at seqs: [UInt64], inTrace traceID: TraceID, skippingDamage damage: inout [DamagedRegion],
        _ body: (UInt64, RecordView) throws(RecordDecodingError) -> Void
    ) throws(LogError) {
        var skipped: [DamagedRegion]? = []
        defer { damage += skipped ?? [] }
        try visit(seqs: seqs, skipping: &skipped, matching: { $0.traceID == traceID }) {
            seq, view throws(RecordDecodingError) in
            try body(seq, view)
            return true
        }
    }
}
