extension LogReader {
    /// Records that carry `key` under `kind` (e.g. every attempt of execution `key`), in sequence order.
    ///
    /// Costs one index probe per segment plus one batch read per distinct batch holding a match; key-hash
    /// collisions are filtered out against the records themselves.
    public func records(_ kind: IndexKind, key: String) throws(LogError) -> [StoredRecord] {
        let hash = kind == .traceID ? TraceID(hex: key).map(KeyHash.hash) ?? 0 : KeyHash.hash(kind, key)
        return try lookup(kind, hash: hash) { IndexEntries.matches($0, kind: kind, key: key) }
    }

    /// Every record of a trace, in sequence order (the first is its trace-start record).
    public func records(inTrace traceID: TraceID) throws(LogError) -> [StoredRecord] {
        try lookup(.traceID, hash: KeyHash.hash(traceID)) { $0.traceID == traceID }
    }

    /// Whether any record of the trace exists.
    public func containsTrace(_ traceID: TraceID) throws(LogError) -> Bool {
        try !lookup(.traceID, hash: KeyHash.hash(traceID), limit: 1) { $0.traceID == traceID }.isEmpty
    }

    /// The trace an entity belongs to, if it is in the log, found through the index without decoding records.
    public func traceID(ofEntity entity: EntityRef) throws(LogError) -> TraceID? {
        guard let kind = IndexEntries.entityIndex(entity.type) else { return nil }
        let hash = KeyHash.hash(kind, entity.id)
        var found: TraceID?
        for segment in try loadedSegments().reversed() {
            for seq in try segment.seqs(kind, hash: hash).reversed() {
                let (segment, location) = try locate(seq)
                let payload = try cachedBatch(segment: segment, location: location)
                payload.withView(at: Int(seq - location.baseSeq)) { view in
                    if IndexEntries.isEntity(view, entity) { found = view.traceID }
                }
                if let found { return found }
            }
        }
        return nil
    }

    /// The start of one trace (its first record), reading only the batch that holds it.
    public func traceStart(of traceID: TraceID) throws(LogError) -> TraceStartEntry? {
        try lookup(.traceID, hash: KeyHash.hash(traceID), limit: 1) { $0.traceID == traceID && $0.kind == .traceStart }
            .first.map(TraceStartEntry.init)
    }

    /// Every trace start in the log, oldest segment first, sequence order within a segment.
    public func traceStarts() throws(LogError) -> [TraceStartEntry] {
        var starts: [TraceStartEntry] = []
        for segment in try loadedSegments() { starts += try segment.traceStarts() }
        return starts
    }

    /// The starts of the traces tagged `tag`, oldest segment first, from the tag index and the per-segment
    /// trace-start tables alone — no batch is read, so a tag shared by a million traces costs a million table
    /// probes, not a million decompressions.
    ///
    /// Candidates are matched on the full 64-bit hash of the tag, not the tag itself: two distinct tags with
    /// the same 64-bit hash (odds about n²/2⁶⁵ over n distinct tags) would be counted together. Callers that
    /// return traces check the tag on them (``TraceStore/listTraces(_:)`` does).
    public func traceStarts(tag: String) throws(LogError) -> [TraceStartEntry] {
        let hash = KeyHash.hash(.tag, tag)
        var starts: [TraceStartEntry] = []
        for segment in try loadedSegments() { starts += try segment.traceStarts(tagHash: hash) }
        return starts
    }

    /// Reads the records at the given sequence numbers (any order; returned in ascending order).
    public func records(at seqs: [UInt64]) throws(LogError) -> [StoredRecord] {
        try lookup(seqs: seqs.sorted()) { _ in true }
    }

    func lookup(_ kind: IndexKind, hash: UInt64, limit: Int = .max, matching: (RecordView) -> Bool)
        throws(LogError) -> [StoredRecord]
    {
        var failOnDamage: [DamagedRegion]? = nil
        return try lookup(kind, hash: hash, limit: limit, skipping: &failOnDamage, matching: matching)
    }

    /// Index lookup; with `skipped` non-nil, batches that cannot be read are skipped and added to it.
    func lookup(
        _ kind: IndexKind, hash: UInt64, limit: Int = .max, skipping skipped: inout [DamagedRegion]?,
        matching: (RecordView) -> Bool
    ) throws(LogError) -> [StoredRecord] {
        var seqs: [UInt64] = []
        for segment in try loadedSegments() { seqs += try segment.seqs(kind, hash: hash) }
        return try lookup(seqs: seqs, limit: limit, skipping: &skipped, matching: matching)
    }

    /// Reads candidate seqs (ascending), one batch read per distinct batch, keeping the records that match.
    func lookup(seqs: [UInt64], limit: Int = .max, matching: (RecordView) -> Bool) throws(LogError) -> [StoredRecord] {
        var failOnDamage: [DamagedRegion]? = nil
        return try lookup(seqs: seqs, limit: limit, skipping: &failOnDamage, matching: matching)
    }

    /// Reads candidate seqs (ascending), one batch read per distinct batch, keeping the records that match.
    ///
    /// A batch that cannot be read (a corrupt batch an index still lists, a seq inside a damaged region) throws
    /// ``LogError/corruptBatch(segment:offset:reason:)``; with `skipped` non-nil it is skipped instead, with
    /// every candidate inside it, and added to `skipped` with the sequence numbers it holds.
    func lookup(
        seqs: [UInt64], limit: Int = .max, skipping skipped: inout [DamagedRegion]?, matching: (RecordView) -> Bool
    ) throws(LogError) -> [StoredRecord] {
        var result: [StoredRecord] = []
        var index = 0
        while index < seqs.count, result.count < limit {
            let segment: ReaderSegment
            let location: BatchLocation
            let payload: BatchPayload
            do {
                (segment, location) = try locate(seqs[index])
            } catch .corruptBatch(let name, let offset, let reason) where skipped != nil {
                // No valid batch holds this seq: it lies in a damaged region.
                let seq = seqs[index]
                skipped?.append(
                    DamagedRegion(segment: name, offset: offset, length: 0, reason: reason, seqs: seq..<seq + 1))
                index += 1
                continue
            }
            do {
                payload = try cachedBatch(segment: segment, location: location)
            } catch .corruptBatch(let name, let offset, let reason) where skipped != nil {
                skipped?.append(
                    DamagedRegion(
                        segment: name, offset: offset, length: Int64(location.length), reason: reason,
                        seqs: location.baseSeq..<location.endSeq))
                while index < seqs.count, seqs[index] < location.endSeq { index += 1 }
                continue
            }
            var previous: UInt64?
            while index < seqs.count, seqs[index] < location.endSeq {
                let seq = seqs[index]
                index += 1
                guard seq != previous, seq >= location.baseSeq, result.count < limit else { continue }
                previous = seq
                let position = Int(seq - location.baseSeq)
                guard payload.withView(at: position, matching) else { continue }
                do {
                    result.append(StoredRecord(seq: seq, record: try payload.record(at: position)))
                } catch {
                    guard skipped != nil else {
                        throw .corruptBatch(segment: segment.name, offset: location.offset, reason: error.reason)
                    }
                    skipped?.append(
                        DamagedRegion(
                            segment: segment.name, offset: location.offset, length: Int64(location.length),
                            reason: error.reason, seqs: location.baseSeq..<location.endSeq))
                    while index < seqs.count, seqs[index] < location.endSeq { index += 1 }
                }
            }
        }
        return result
    }

    /// A decoded batch, from a small cache of recently read batches (repeated lookups in one trace or nearby).
    func cachedBatch(segment: ReaderSegment, location: BatchLocation) throws(LogError) -> BatchPayload {
        let key = BatchCacheKey(segmentBase: segment.baseSeq, offset: location.offset)
        if let hit = batchCache.get(key) { return hit }
        let payload = try segment.readBatch(location)
        batchCache.put(key, payload)
        return payload
    }
}
