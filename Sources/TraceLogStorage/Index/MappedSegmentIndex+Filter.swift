internal import CPlatform

/// The key filter of a mapped index file: the check before the postings (see ``KeyFilterSection``).
extension MappedSegmentIndex {
    /// Asks the kernel for the filter window a lookup of this key reads (one request, once per page per
    /// mapping), and the CPU for the three fingerprint cells it tests, so that the lookups of many segments
    /// wait for their reads — from storage when cold, from memory when warm — together rather than one by one.
    func prefetchFilter(_ kind: IndexKind, hash: UInt64) {
        let key = KeyFilterSection.key(kind, hash: hash)
        let parameters = filter.parameters
        let window = parameters.window(key)
        guard !window.isEmpty else { return }
        let blocks =
            window.lowerBound / KeyFilterSection.blockSize...(window.upperBound - 1) / KeyFilterSection.blockSize
        region.prefetch(
            filter.blockRange(blocks.lowerBound).lowerBound..<filter.blockRange(blocks.upperBound).upperBound)
        // Three cache misses per segment, one after the other, were most of a warm lookup's probe of 8 segments.
        let (first, second, third) = parameters.cells(BinaryFuseFilter.hash(key, seed: parameters.seed))
        region.withBytes { raw in
            guard let base = raw.baseAddress, filter.fingerprints + parameters.arrayLength <= raw.count else { return }
            let fingerprints = base + filter.fingerprints
            tracelog_prefetch_read(fingerprints + first)
            tracelog_prefetch_read(fingerprints + second)
            tracelog_prefetch_read(fingerprints + third)
        }
    }

    /// Whether the segment may hold the key (false: it certainly does not); checks the blocks the query reads.
    func mayContain(_ kind: IndexKind, hash: UInt64) throws(Invalid) -> Bool {
        let key = KeyFilterSection.key(kind, hash: hash)
        let parameters = filter.parameters
        guard parameters.segmentCount > 0 else { return false }
        return try region.withBytes { raw throws(Invalid) in
            let (first, second, third) = parameters.cells(BinaryFuseFilter.hash(key, seed: parameters.seed))
            try verifyFilterBlock(raw, first / KeyFilterSection.blockSize)
            try verifyFilterBlock(raw, second / KeyFilterSection.blockSize)
            try verifyFilterBlock(raw, third / KeyFilterSection.blockSize)
            let fingerprints = UnsafeRawBufferPointer(
                rebasing: raw[filter.fingerprints..<filter.fingerprints + parameters.arrayLength])
            return BinaryFuseFilter.mayContain(key, parameters, fingerprints: fingerprints)
        }
    }

    /// Checks every block of the filter, and that it passes every key of the postings (no false negative):
    /// what `verify` asks of it.
    func checkFilter() throws(Invalid) {
        region.prefetch(filter.blockRange(0).lowerBound..<filter.fingerprints + filter.parameters.arrayLength)
        try region.withBytes { raw throws(Invalid) in
            for block in 0..<filter.blocks { try verifyFilterBlock(raw, block) }
        }
        for kind in IndexKind.allCases {
            var previous: UInt32?
            for (stored, _) in try storedPostings(kind) where stored != previous {
                previous = stored
                guard try mayContain(kind, hash: UInt64(stored) << 32) else {
                    throw Invalid(
                        reason: "key filter misses a \(kind) key of the postings (stored hash \(stored), index file"
                            + " offset \(filter.fingerprints))")
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
