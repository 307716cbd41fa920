/// Lookups in a mapped index file's postings sections, each verifying the one block it reads.
extension MappedSegmentIndex {
    /// The parts of one postings section (byte offsets into the file; see ``SegmentIndexFile``).
    struct PostingsSection: Sendable {
        var keys = 0
        var blocks = 0
        var blockTable = 0
        var directory = 0
        var lists = 0
        var end = 0
        /// The section table's checksum of the block table.
        var checksum: UInt32 = 0
    }

    /// Checks a postings section's shape; its block table is checked on the first lookup of its kind (see
    /// ``verifyBlockTable(_:_:kind:)``), its blocks when read.
    static func postingsSection(kind: UInt32, keys: Int, range: Range<Int>, checksum: UInt32) throws(Invalid)
        -> PostingsSection
    {
        let blocks = SegmentIndexFile.blockCount(keys: keys)
        let tableLength = blocks * SegmentIndexFile.blockEntrySize
        guard keys <= range.count / 8, tableLength + keys * 8 <= range.count else {
            throw Invalid(reason: "section \(kind) has a wrong length")
        }
        return PostingsSection(
            keys: keys, blocks: blocks, blockTable: range.lowerBound, directory: range.lowerBound + tableLength,
            lists: range.lowerBound + tableLength + keys * 8, end: range.upperBound, checksum: checksum)
    }

    /// Checks a postings section's block table (the part the section checksum covers) once per mapping: blocks in
    /// hash order, their lists in order and inside the section.
    private func verifyBlockTable(_ raw: UnsafeRawBufferPointer, _ section: PostingsSection, kind: IndexKind)
        throws(Invalid)
    {
        let bit = UInt32(1) << kind.rawValue
        if verified.withLock({ $0.postingsTables & bit != 0 }) { return }
        // One request for the whole table (about 11 KiB per 120k keys) rather than a page fault per page.
        region.prefetch(section.blockTable..<section.directory)
        let table = UnsafeRawBufferPointer(rebasing: raw[section.blockTable..<section.directory])
        guard CRC32C.checksum(table) == section.checksum else {
            throw Invalid(reason: "section \(kind.rawValue) checksum mismatch")
        }
        var previous: (hash: UInt32, listOffset: UInt32)?
        for block in 0..<section.blocks {
            let entry = section.blockTable + block * SegmentIndexFile.blockEntrySize
            let hash = raw.loadLittleEndian(at: entry, as: UInt32.self)
            let listOffset = raw.loadLittleEndian(at: entry + 4, as: UInt32.self)
            guard previous.map({ $0.hash < hash && $0.listOffset <= listOffset }) ?? true,
                Int(listOffset) <= section.end - section.lists
            else { throw Invalid(reason: "section \(kind.rawValue) block \(block) is out of order") }
            previous = (hash, listOffset)
        }
        verified.withLock { $0.postingsTables |= bit }
    }

    /// Candidate sequence numbers for a key hash, ascending: the key filter (unless `askFilter` is false: the
    /// log's filter stack answered for this segment), then a binary search of the block table, then of one
    /// verified block's directory, then one posting list decoded.
    func seqs(_ kind: IndexKind, hash: UInt64, askFilter: Bool = true) throws(Invalid) -> [UInt64] {
        if askFilter { guard try mayContain(kind, hash: hash) else { return [] } }
        prefetchTableAfterPostings(kind)
        let wanted = SegmentIndexFile.storedHash(hash)
        let section = postings[Int(kind.rawValue)]
        if !verified.withLock({ $0.postingsTables & (UInt32(1) << kind.rawValue) != 0 }) {
            prefetchLikelyBlock(section, storedHash: wanted)
        }
        return try region.withBytes { raw throws(Invalid) in
            try verifyBlockTable(raw, section, kind: kind)
            guard let block = block(raw, section, holding: wanted) else { return [] }
            try verifyBlock(raw, section, block, kind: kind)
            let keys = blockKeys(section, block)
            var low = keys.lowerBound
            var high = keys.upperBound
            while low < high {
                let middle = (low + high) / 2
                if raw.loadLittleEndian(at: section.directory + middle * 8, as: UInt32.self) < wanted {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            guard low < keys.upperBound,
                raw.loadLittleEndian(at: section.directory + low * 8, as: UInt32.self) == wanted
            else { return [] }
            return postingList(raw, section, block: block, entry: low)
        }
    }

    /// The last block whose first hash is not above `storedHash` (the one that can hold it), from the block
    /// table (which the caller has checked).
    private func block(_ raw: UnsafeRawBufferPointer, _ section: PostingsSection, holding storedHash: UInt32) -> Int? {
        var low = 0
        var high = section.blocks
        while low < high {
            let middle = (low + high) / 2
            if blockEntry(raw, section, middle).firstHash <= storedHash { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? low - 1 : nil
    }

    /// Asks, without waiting, for what ``seqs(_:hash:)`` reads after the key filter, if the filter may hold the
    /// key: the postings block table and the key's block (exactly once the block table has been checked, else
    /// the likely one), and the table the lookup reads next. For a caller about to look up many keys one after
    /// another (a page of traces), so that their reads overlap. Reads the filter page, waiting for it (ask for
    /// it first: ``prefetchFilter(_:hash:)``); anything that fails its check is left to the lookup to report.
    ///
    /// With `askFilter` false (the log's filter stack answered for this segment), the filter is not read.
    func prefetchPostings(_ kind: IndexKind, hash: UInt64, askFilter: Bool = true) {
        guard !askFilter || (try? mayContain(kind, hash: hash)) == true else { return }
        let section = postings[Int(kind.rawValue)]
        guard section.blocks > 0 else { return }
        prefetchTableAfterPostings(kind)
        let wanted = SegmentIndexFile.storedHash(hash)
        guard verified.withLock({ $0.postingsTables & (UInt32(1) << kind.rawValue) != 0 }) else {
            region.prefetch(section.blockTable..<section.directory)
            prefetchLikelyBlock(section, storedHash: wanted)
            return
        }
        region.withBytes { raw in
            guard let block = block(raw, section, holding: wanted), !verifiedBlocks[Int(kind.rawValue)].contains(block)
            else { return }
            let keys = blockKeys(section, block)
            region.prefetch(section.directory + keys.lowerBound * 8..<section.directory + keys.upperBound * 8)
            region.prefetch(blockEntry(raw, section, block).lists)
        }
    }

    /// Asks, without waiting, for the first pages the lookup reads after the postings — the batch table's block
    /// table and last block, and for a tag also the trace-start table's block table — unless they were checked
    /// before, so that on a cold cache they arrive with the postings block table instead of one round trip later.
    /// A tag's traces are read next (`trace list --trace-tag`): their lookups find the batch table of the segment
    /// that holds each trace start already read.
    private func prefetchTableAfterPostings(_ kind: IndexKind) {
        if kind == .tag, !verified.withLock({ $0.traceStartTable }) {
            region.prefetch(traceStartTable.blockTable..<traceStartTable.entries)
        }
        prefetchBatchTable()
    }

    /// Asks, without waiting, for the postings block a key most likely falls in, before the block table that
    /// locates it exactly is read: keys are spread evenly in hash order, so a key's rank is about
    /// `hash / 2³² × keys`, off by a block or so (the binomial spread of a million-key section is about 170 keys).
    /// The directory entries of that block and its neighbours lie at a computable place; their lists are
    /// estimated from the blocks' average list length, with a margin (at most 64 KiB in all). On a cold cache the block then arrives with
    /// the block table — one round trip less — and a wrong guess costs only the bytes asked for. Only until the
    /// block table has been read once in this mapping: from then on it locates the block exactly, and guessing
    /// would save no round trip.
    private func prefetchLikelyBlock(_ section: PostingsSection, storedHash: UInt32) {
        guard section.blocks > 0 else { return }
        let blockKeys = SegmentIndexFile.blockKeys
        let rank = Int(truncatingIfNeeded: (UInt64(storedHash) &* UInt64(section.keys)) >> 32)
        let block = min(rank / blockKeys, section.blocks - 1)
        let first = max(block - 1, 0)
        let last = min(block + 1, section.blocks - 1)
        region.prefetch(
            section.directory + first * blockKeys * 8..<section.directory + min(section.keys, (last + 1) * blockKeys)
                * 8)
        let listsLength = section.end - section.lists
        let perBlock = listsLength / section.blocks
        let estimate = section.lists + Int(Double(block) / Double(section.blocks) * Double(listsLength))
        // At most 64 KiB: a section with a few huge lists (a trace of a million records) has a large average.
        let margin = min(2 * perBlock + 4096, 24 << 10)
        region.prefetch(
            max(section.lists, estimate - margin)..<min(section.end, estimate + min(perBlock, 16 << 10) + margin))
    }

    /// Every stored hash of one kind's directory, ascending; verifies every block (its lists are read for that,
    /// not decoded).
    func storedKeys(_ kind: IndexKind) throws(Invalid) -> [UInt32] {
        let section = postings[Int(kind.rawValue)]
        region.prefetch(section.blockTable..<section.end)
        return try region.withBytes { raw throws(Invalid) in
            try verifyBlockTable(raw, section, kind: kind)
            var result: [UInt32] = []
            result.reserveCapacity(section.keys)
            for block in 0..<section.blocks {
                try verifyBlock(raw, section, block, kind: kind)
                for entry in blockKeys(section, block) {
                    result.append(raw.loadLittleEndian(at: section.directory + entry * 8, as: UInt32.self))
                }
            }
            return result
        }
    }

    /// Every (stored hash, seq) posting of one kind, sorted; verifies every block.
    func storedPostings(_ kind: IndexKind) throws(Invalid) -> [(UInt32, UInt64)] {
        let section = postings[Int(kind.rawValue)]
        region.prefetch(section.blockTable..<section.end)
        return try region.withBytes { raw throws(Invalid) in
            try verifyBlockTable(raw, section, kind: kind)
            var result: [(UInt32, UInt64)] = []
            for block in 0..<section.blocks {
                try verifyBlock(raw, section, block, kind: kind)
                for entry in blockKeys(section, block) {
                    let hash = raw.loadLittleEndian(at: section.directory + entry * 8, as: UInt32.self)
                    for seq in postingList(raw, section, block: block, entry: entry) { result.append((hash, seq)) }
                }
            }
            return result
        }
    }

    private func blockEntry(_ raw: UnsafeRawBufferPointer, _ section: PostingsSection, _ block: Int)
        -> (firstHash: UInt32, lists: Range<Int>)
    {
        let entry = section.blockTable + block * SegmentIndexFile.blockEntrySize
        let start = section.lists + Int(raw.loadLittleEndian(at: entry + 4, as: UInt32.self))
        let end =
            block + 1 < section.blocks
            ? section.lists
                + Int(raw.loadLittleEndian(at: entry + SegmentIndexFile.blockEntrySize + 4, as: UInt32.self))
            : section.end
        return (raw.loadLittleEndian(at: entry, as: UInt32.self), start..<end)
    }

    private func blockKeys(_ section: PostingsSection, _ block: Int) -> Range<Int> {
        block * SegmentIndexFile.blockKeys..<min(section.keys, (block + 1) * SegmentIndexFile.blockKeys)
    }

    /// Checks one block's directory entries and lists against the checksum in the (verified) block table, once
    /// per mapping.
    private func verifyBlock(_ raw: UnsafeRawBufferPointer, _ section: PostingsSection, _ block: Int, kind: IndexKind)
        throws(Invalid)
    {
        try verifyBlock(slot: Int(kind.rawValue), block) { () throws(Invalid) in
            let keys = blockKeys(section, block)
            let entryRange = section.directory + keys.lowerBound * 8..<section.directory + keys.upperBound * 8
            let lists = blockEntry(raw, section, block).lists
            // Both parts of the block in flight at once, rather than one fault after the other.
            region.prefetch(entryRange)
            region.prefetch(lists)
            let entries = UnsafeRawBufferPointer(rebasing: raw[entryRange])
            let checksum = CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[lists]), seed: CRC32C.checksum(entries))
            let stored = raw.loadLittleEndian(
                at: section.blockTable + block * SegmentIndexFile.blockEntrySize + 8, as: UInt32.self)
            guard checksum == stored else {
                throw Invalid(
                    reason: "\(kind) postings block \(block) checksum mismatch (directory at index file offset "
                        + "\(section.directory + keys.lowerBound * 8))")
            }
        }
    }

    /// The decoded list of directory entry `entry` of `block`; a malformed list ends early instead of reading
    /// past its block.
    private func postingList(_ raw: UnsafeRawBufferPointer, _ section: PostingsSection, block: Int, entry: Int)
        -> [UInt64]
    {
        let blockLists = blockEntry(raw, section, block).lists
        let start = section.lists + Int(raw.loadLittleEndian(at: section.directory + entry * 8 + 4, as: UInt32.self))
        let end =
            entry + 1 < blockKeys(section, block).upperBound
            ? section.lists + Int(raw.loadLittleEndian(at: section.directory + (entry + 1) * 8 + 4, as: UInt32.self))
            : blockLists.upperBound
        guard blockLists.lowerBound <= start, start <= end, end <= blockLists.upperBound else { return [] }
        var decoder = BinaryDecoder(UnsafeRawBufferPointer(rebasing: raw[start..<end]), position: 0)
        var result: [UInt64] = []
        var seq = baseSeq
        while decoder.remaining > 0, let value = decoder.readVarint() {
            seq &+= value
            result.append(seq)
        }
        return result
    }
}
