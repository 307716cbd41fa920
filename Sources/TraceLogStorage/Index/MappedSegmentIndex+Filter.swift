internal import CPlatform

/// The key filter of a mapped index file: the check before the postings (see ``KeyFilterSection``).
extension MappedSegmentIndex {
    /// Asks the kernel for the one page a lookup of this key reads (one request, once per page per mapping), and
    /// the CPU for the filter block it tests, so that the lookups of many segments wait for their reads — from
    /// storage when cold, from memory when warm — together rather than one by one.
    func prefetchFilter(_ kind: IndexKind, hash: UInt64) {
        guard filter.filterBlocks > 0 else { return }
        let (offset, page) = filter.location(BlockedBloomFilter.hash(KeyFilterSection.key(kind, hash: hash)))
        region.prefetch(filter.blockRange(page))
        region.withBytes { raw in
            guard let base = raw.baseAddress, offset + BlockedBloomFilter.blockBytes <= raw.count else { return }
            tracelog_prefetch_read(base + offset)
        }
    }

    /// Whether the segment may hold the key (false: it certainly does not); checks the page the query reads.
    func mayContain(_ kind: IndexKind, hash: UInt64) throws(Invalid) -> Bool {
        guard filter.filterBlocks > 0 else { return false }
        let filterHash = BlockedBloomFilter.hash(KeyFilterSection.key(kind, hash: hash))
        let (offset, page) = filter.location(filterHash)
        return try region.withBytes { raw throws(Invalid) in
            try verifyFilterBlock(raw, page)
            return BlockedBloomFilter.blockContains(
                filterHash, UnsafeRawBufferPointer(rebasing: raw[offset..<offset + BlockedBloomFilter.blockBytes]))
        }
    }

    /// Checks every block of the filter, and that it passes every key of the postings (no false negative):
    /// what `verify` asks of it.
    func checkFilter() throws(Invalid) {
        region.prefetch(filter.array..<filter.array + filter.arrayLength)
        try region.withBytes { raw throws(Invalid) in
            for block in 0..<filter.blocks { try verifyFilterBlock(raw, block) }
        }
        for kind in IndexKind.allCases {
            var previous: UInt32?
            for (stored, _) in try storedPostings(kind) where stored != previous {
                previous = stored
                guard try mayContain(kind, hash: UInt64(stored) << 32) else {
                    let key = KeyFilterSection.key(kind.rawValue, storedHash: stored)
                    throw Invalid(
                        reason:
                            "key filter misses a \(kind) key of the postings (stored hash \(stored), filter block at"
                            + " index file offset \(filter.location(BlockedBloomFilter.hash(key)).offset))")
                }
            }
        }
    }

    private func verifyFilterBlock(_ raw: UnsafeRawBufferPointer, _ block: Int) throws(Invalid) {
        try verifyBlock(slot: Self.filterSlot, block) { () throws(Invalid) in
            let range = filter.blockRange(block)
            region.prefetch(range)
            let stored = raw.loadLittleEndian(at: filter.blockTable + block * 4, as: UInt32.self)
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range])) == stored else {
                throw Invalid(
                    reason: "key filter block \(block) checksum mismatch (index file offset \(range.lowerBound))")
            }
        }
    }
}
