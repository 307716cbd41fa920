extension ReaderSegment {
    /// Notes that the segment lost its end: an index file with a sound header covered `covered` bytes, the file
    /// has `fileLength`. A torn remainder at the end (part of a batch, found by the scan) joins the region, which
    /// then runs from the last valid batch to where the index says the segment ended.
    func recordTruncation(_ state: inout State, covered: Int64, fileLength: Int64) {
        var start = fileLength
        if let last = state.damaged.last, last.offset + last.length == fileLength {
            start = last.offset
            state.damaged.removeLast()
        }
        state.damaged.append(
            DamagedRegion(
                segment: name, offset: start, length: covered - start,
                reason:
                    "bytes missing: the segment ends at offset \(fileLength), its index file covers \(covered) bytes"
                    + " (truncated)"))
    }

    /// Every damage known in this loaded segment, each with the sequence numbers it puts in doubt: a damaged
    /// header (the whole segment), damaged or missing batch data (from the last valid batch before it to the
    /// first after it), and records missing at the end, when `expectedEnd` — where the next segment starts,
    /// nil for the last segment — lies past the last valid batch.
    ///
    /// Costs a few lock acquisitions when the segment is sound (no allocation); reads the whole batch table
    /// when it is not.
    func damage(expectedEnd: UInt64?) throws(LogError) -> [DamagedRegion] {
        let (regions, endSeq, validEnd) = state.withLock { ($0.damaged, $0.endSeq, $0.scannedTo) }
        let end = max(endSeq, expectedEnd ?? endSeq)
        var found: [DamagedRegion] = []
        if var header = headerDamage {
            header.seqs = baseSeq..<end
            found.append(header)
        }
        if regions.isEmpty && end == endSeq { return found }
        let batches = try allBatches()
        var coversEnd = false
        for var region in regions.sorted(by: { $0.offset < $1.offset }) {
            let before = batches.last { $0.offset < region.offset }
            let after = batches.first { $0.offset > region.offset }
            region.seqs = (before?.endSeq ?? baseSeq)..<(after?.baseSeq ?? end)
            coversEnd = coversEnd || after == nil
            found.append(region)
        }
        if end > endSeq, !coversEnd {
            found.append(
                DamagedRegion(
                    segment: name, offset: validEnd, length: 0,
                    reason:
                        "records missing: the segment ends at seq \(endSeq) (offset \(validEnd)), the next segment"
                        + " starts at seq \(end) (truncated or lost)",
                    seqs: endSeq..<end))
        }
        return found
    }
}
