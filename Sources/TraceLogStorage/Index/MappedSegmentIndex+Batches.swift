/// Lookups in a mapped index file's batch table, each verifying the one block it reads.
extension MappedSegmentIndex {
    var batchCount: Int { batchTable.entryCount }

    /// The batch holding `seq`, if any.
    func batch(containing seq: UInt64) throws(Invalid) -> BatchLocation? {
        try region.withBytes { raw throws(Invalid) in
            try verifyBatchTable(raw)
            guard let index = try lastBatchIndex(raw, baseSeqAtMost: seq) else { return nil }
            let batch = Self.batch(raw, batchTable, at: index)
            return batch.endSeq > seq ? batch : nil
        }
    }

    /// Asks, without waiting, for what ``verifyBatchTable(_:)`` reads — the batch table's block table and last
    /// block — unless it was checked: the first batch lookup then finds them read or in flight.
    func prefetchBatchTable() {
        guard verified.withLock({ $0.lastBatch }) == nil else { return }
        region.prefetch(batchTable.blockTable..<batchTable.entries)
        if batchTable.blocks > 0 { region.prefetch(batchTable.bytesRange(block: batchTable.blocks - 1)) }
    }

    /// Asks, without waiting, for the batch-table block that holds `seq`, after checking the block table if that
    /// was not done (waiting for it); a table that fails its check is left to the lookup to report.
    func prefetchBatchBlock(holding seq: UInt64) {
        region.withBytes { raw in
            guard (try? verifyBatchTable(raw)) != nil, let block = batchTable.block(raw, keyAtMost: seq),
                !verifiedBlocks[Self.batchSlot].contains(block)
            else { return }
            region.prefetch(batchTable.bytesRange(block: block))
        }
    }

    /// The first batch that starts after `seq`, if any.
    func firstBatch(after seq: UInt64) throws(Invalid) -> BatchLocation? {
        try region.withBytes { raw throws(Invalid) in
            try verifyBatchTable(raw)
            let next = try lastBatchIndex(raw, baseSeqAtMost: seq).map { $0 + 1 } ?? 0
            guard next < batchTable.entryCount else { return nil }
            try verifyBatchBlock(raw, next / batchTable.blockEntries)
            return Self.batch(raw, batchTable, at: next)
        }
    }

    /// Every batch, in file order; verifies every block of the table.
    func allBatches() throws(Invalid) -> [BatchLocation] {
        region.prefetch(batchTable.bytes)
        return try region.withBytes { raw throws(Invalid) in
            try verifyBatchTable(raw)
            var batches: [BatchLocation] = []
            batches.reserveCapacity(batchTable.entryCount)
            for block in 0..<batchTable.blocks {
                try verifyBatchBlock(raw, block)
                for index in batchTable.entryRange(block: block) {
                    batches.append(Self.batch(raw, batchTable, at: index))
                }
            }
            return batches
        }
    }

    private func lastBatchIndex(_ raw: UnsafeRawBufferPointer, baseSeqAtMost seq: UInt64) throws(Invalid) -> Int? {
        try batchTable.lastEntry(raw, keyAtMost: seq) { block throws(Invalid) in try verifyBatchBlock(raw, block) }
    }

    private func verifyBatchBlock(_ raw: UnsafeRawBufferPointer, _ block: Int) throws(Invalid) {
        try verifyBlock(slot: Self.batchSlot, block) { () throws(Invalid) in
            region.prefetch(batchTable.bytesRange(block: block))
            _ = try Self.checkedBatchBlock(raw, batchTable, block, segmentLength: segmentLength)
        }
    }

    /// The batches of one block of the batch table, checked so that using them cannot trap or allocate more than
    /// the segment holds: the block matches its checksum; each batch's bytes lie inside the segment's first
    /// `segmentLength` bytes, after the segment header; sequence ranges do not pass 2^64, and each ends at or
    /// before the next one starts (in this block, or the next block's first).
    static func checkedBatchBlock(
        _ raw: UnsafeRawBufferPointer, _ table: BlockedTable, _ block: Int, segmentLength: Int64
    ) throws(Invalid) -> [BatchLocation] {
        let entries = table.entryRange(block: block)
        guard table.blockIsSound(raw, block: block) else {
            throw Invalid(
                reason: "batch table block \(block) checksum mismatch (index file offset "
                    + "\(table.offset(ofEntry: entries.lowerBound)))")
        }
        let nextStart = block + 1 < table.blocks ? table.firstKey(raw, block: block + 1) : UInt64.max
        var batches: [BatchLocation] = []
        batches.reserveCapacity(entries.count)
        for index in entries {
            let base = table.offset(ofEntry: index)
            let baseSeq = raw.loadLittleEndian(at: base, as: UInt64.self)
            let recordCount = raw.loadLittleEndian(at: base + 20, as: UInt32.self)
            let fileOffset = raw.loadLittleEndian(at: base + 8, as: Int64.self)
            let length = raw.loadLittleEndian(at: base + 16, as: UInt32.self)
            let following = index + 1 < entries.upperBound ? table.key(raw, entry: index + 1) : nextStart
            guard let length = Int32(exactly: length), Int(length) >= BatchHeader.size,
                fileOffset >= SegmentHeader.size, Int64(length) <= segmentLength - fileOffset,
                baseSeq <= UInt64.max - UInt64(recordCount), baseSeq + UInt64(recordCount) <= following
            else {
                throw Invalid(reason: "batch table entry \(index) is not a possible batch")
            }
            batches.append(batch(raw, table, at: index))
        }
        return batches
    }

    /// Entry `index` of the batch table, as stored (the caller has verified its block).
    private static func batch(_ raw: UnsafeRawBufferPointer, _ table: BlockedTable, at index: Int) -> BatchLocation {
        let base = table.offset(ofEntry: index)
        return BatchLocation(
            baseSeq: raw.loadLittleEndian(at: base, as: UInt64.self),
            recordCount: raw.loadLittleEndian(at: base + 20, as: UInt32.self),
            offset: raw.loadLittleEndian(at: base + 8, as: Int64.self),
            length: Int32(truncatingIfNeeded: raw.loadLittleEndian(at: base + 16, as: UInt32.self)),
            minTime: raw.loadLittleEndian(at: base + 24, as: Int64.self),
            maxTime: raw.loadLittleEndian(at: base + 32, as: Int64.self),
            uncompressedLength: raw.loadLittleEndian(at: base + 40, as: UInt32.self),
            checksum: raw.loadLittleEndian(at: base + 44, as: UInt32.self))
    }
}
