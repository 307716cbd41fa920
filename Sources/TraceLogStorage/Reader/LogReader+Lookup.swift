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
        return try traceID(ofEntity: entity, hash: KeyHash.hash(kind, entity.id))
    }

    /// ``traceID(ofEntity:)`` for a caller that already holds the entity's index key hash
    /// (`KeyHash.hash(kind, entity.id)`, the kind being the entity type's index), so the id is not hashed again.
    package func traceID(ofEntity entity: EntityRef, hash: UInt64) throws(LogError) -> TraceID? {
        guard let kind = IndexEntries.entityIndex(entity.type) else { return nil }
        var found: TraceID?
        let all = try loadedSegments()
        let plan = probePlan(kind, hash: hash, in: all)
        for segment in all.reversed() {
            guard let askFilter = plan.askFilter(segment) else { continue }
            for seq in try segment.seqs(kind, hash: hash, askFilter: askFilter).reversed() {
                let (segment, location) = try locate(seq)
                let position = Int(seq - location.baseSeq)
                let payload = try cachedBatch(segment: segment, location: location, records: position + 1)
                payload.withView(at: position) { view in
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
        let all = try loadedSegments()
        let plan = probePlan(.tag, hash: hash, in: all)
        for segment in all {
            guard let askFilter = plan.askFilter(segment) else { continue }
            starts += try segment.traceStarts(tagHash: hash, askFilter: askFilter)
        }
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
        return try lookup(seqs: try candidates(kind, hash: hash), limit: limit, skipping: &skipped, matching: matching)
    }

    /// Candidate seqs of a key hash in every segment, ascending. The filter stack (one read for the segments it
    /// covers) and each other segment's key filter are asked for first, all at once, so a cold lookup waits for
    /// those reads together; a segment a filter rules the key out of costs nothing more (see
    /// ``probePlan(_:hash:in:whileFiltersLoad:)``).
    ///
    /// `whileFiltersLoad` runs after the filter pages are asked for and before the first is read: work that waits
    /// for reads of its own there waits for both together.
    func candidates(_ kind: IndexKind, hash: UInt64, whileFiltersLoad: () -> Void = {}) throws(LogError) -> [UInt64] {
        var seqs: [UInt64] = []
        let all = try loadedSegments()
        let plan = probePlan(kind, hash: hash, in: all, whileFiltersLoad: whileFiltersLoad)
        for segment in all {
            guard let askFilter = plan.askFilter(segment) else { continue }
            seqs += try segment.seqs(kind, hash: hash, askFilter: askFilter)
        }
        return seqs
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
        guard limit > 0 else { return result }
        try visit(seqs: seqs, skipping: &skipped, prefetch: limit == .max, matching: matching) {
            seq, view throws(RecordDecodingError) in
            result.append(StoredRecord(seq: seq, record: try view.record()))
            return result.count < limit
        }
        return result
    }

    /// Visits candidate seqs (ascending), one batch read per distinct batch: calls `body` with each record that
    /// `matching` accepts, as a zero-copy view, until `body` returns false.
    ///
    /// A batch that cannot be read, or a record whose field list is malformed or that `body` fails to decode,
    /// throws ``LogError/corruptBatch(segment:offset:reason:)``; with `skipped` non-nil the batch is skipped
    /// instead (the rest of it, for a bad record) and added to `skipped` with the sequence numbers it holds.
    ///
    /// With `prefetch`, every batch the candidates fall in is asked for before the first is decoded, so a cold
    /// lookup waits for their reads together rather than one after the other (costs one more batch-table search
    /// per batch; lookups that stop at the first match skip it).
    func visit(
        seqs: [UInt64], skipping skipped: inout [DamagedRegion]?, prefetch: Bool = true,
        matching: (RecordView) -> Bool, _ body: (UInt64, RecordView) throws(RecordDecodingError) -> Bool
    ) throws(LogError) {
        // The batches the prefetch pass located, in order: the reading pass takes them instead of searching the
        // batch tables again.
        let planned = prefetch && seqs.count > 1 ? prefetchBatches(seqs) : []
        var nextPlanned = 0
        var index = 0
        while index < seqs.count {
            let segment: ReaderSegment
            let location: BatchLocation
            let payload: BatchPayload
            while nextPlanned < planned.count, planned[nextPlanned].location.endSeq <= seqs[index] { nextPlanned += 1 }
            do {
                if nextPlanned < planned.count, planned[nextPlanned].location.baseSeq <= seqs[index] {
                    (segment, location) = planned[nextPlanned]
                } else {
                    (segment, location) = try locate(seqs[index])
                }
            } catch .corruptBatch(let name, let offset, let reason) where skipped != nil {
                // No valid batch holds this seq: it lies in a damaged region.
                let seq = seqs[index]
                skipped?.append(
                    DamagedRegion(segment: name, offset: offset, length: 0, reason: reason, seqs: seq..<seq + 1))
                index += 1
                continue
            }
            var batchSeqs = index
            while batchSeqs < seqs.count, seqs[batchSeqs] < location.endSeq { batchSeqs += 1 }
            do {
                // Candidates are ascending: the last one in this batch is the furthest record it needs.
                let needed = Int(seqs[batchSeqs - 1] - location.baseSeq) + 1
                payload = try cachedBatch(segment: segment, location: location, records: needed)
            } catch .corruptBatch(let name, let offset, let reason) where skipped != nil {
                skipped?.append(
                    DamagedRegion(
                        segment: name, offset: offset, length: Int64(location.length), reason: reason,
                        seqs: location.baseSeq..<location.endSeq))
                index = batchSeqs
                continue
            }
            let outcome: Result<Bool, RecordDecodingError> = payload.withViews { view in
                var previous: UInt64?
                for seq in seqs[index..<batchSeqs] where seq != previous && seq >= location.baseSeq {
                    previous = seq
                    let candidate = view(Int(seq - location.baseSeq))
                    guard matching(candidate) else { continue }
                    guard candidate.isWellFormed else {
                        return .failure(RecordDecodingError(offset: 0, reason: "malformed record framing"))
                    }
                    do throws(RecordDecodingError) {
                        guard try body(seq, candidate) else { return .success(false) }
                    } catch {
                        return .failure(error)
                    }
                }
                return .success(true)
            }
            index = batchSeqs
            switch outcome {
            case .success(true): continue
            case .success(false): return
            case .failure(let error):
                guard skipped != nil else {
                    throw .corruptBatch(segment: segment.name, offset: location.offset, reason: error.reason)
                }
                skipped?.append(
                    DamagedRegion(
                        segment: segment.name, offset: location.offset, length: Int64(location.length),
                        reason: error.reason, seqs: location.baseSeq..<location.endSeq))
            }
        }
    }

    /// Asks, without waiting for the batch itself, for the batch holding `seq` (locating it may read its
    /// batch-table block); a seq that cannot be located is left to the lookup that reads it to report.
    func prefetchBatch(holding seq: UInt64) {
        guard let (segment, location) = try? locate(seq) else { return }
        segment.prefetchBatch(location)
    }

    /// Batches a prefetch pass hands to the reading pass, at most: a lookup of a few traces' records reads a
    /// few dozen, and keeping 100,000 locations through the read (a trace of a million small-batch records) cost
    /// 8 MB of peak memory; past this the reading pass locates each batch itself.
    static let plannedBatchLimit = 4096

    /// Asks for every batch that holds one of `seqs` (ascending) in one pass, and returns them in order (none
    /// when there are more than ``plannedBatchLimit``); batches it cannot locate are left for the reading pass
    /// to report.
    private func prefetchBatches(_ seqs: [UInt64]) -> [(segment: ReaderSegment, location: BatchLocation)] {
        var located: [(segment: ReaderSegment, location: BatchLocation)] = []
        var keeping = true
        var index = 0
        while index < seqs.count {
            guard let (segment, location) = try? locate(seqs[index]) else {
                index += 1
                continue
            }
            segment.prefetchBatch(location)
            if keeping {
                if located.count < Self.plannedBatchLimit {
                    located.append((segment, location))
                } else {
                    keeping = false
                    located = []
                }
            }
            while index < seqs.count, seqs[index] < location.endSeq { index += 1 }
        }
        return located
    }

    /// A batch with at least its first `records` records decoded, from a small cache of recently read batches
    /// (repeated lookups in one trace or nearby); a cached prefix too short for `records` is read again.
    ///
    /// Point lookups decode only the prefix of a batch up to the last record they want (see
    /// ``BatchPayload/decodePrefix(header:stored:records:)``), about half a batch on average.
    func cachedBatch(segment: ReaderSegment, location: BatchLocation, records: Int = .max) throws(LogError)
        -> BatchPayload
    {
        let key = BatchCacheKey(segmentBase: segment.baseSeq, offset: location.offset)
        let wanted = min(records, Int(location.recordCount))
        if let hit = batchCache.get(key), hit.count >= wanted { return hit }
        let payload = try segment.readBatch(location, records: BatchPrefixReads.enabled ? wanted : .max)
        batchCache.put(key, payload)
        return payload
    }
}
