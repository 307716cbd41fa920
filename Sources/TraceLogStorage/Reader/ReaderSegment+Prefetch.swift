/// Requests a lookup makes ahead of its reads (the key filter page), or a caller about to look up many keys one
/// after another (a page of traces): each asks the kernel for pages without waiting for them, except where it
/// says it reads a table first. An index in memory needs none of them.
extension ReaderSegment {
    /// The mapped index file's lookups, if the index is one (sealed, or a checkpoint with a tail in memory).
    private var mappedIndex: MappedSegmentIndex? {
        state.withLock { state in
            switch state.index {
            case .mapped(let mapped), .layered(let mapped, _): mapped
            case .memory, nil: nil
            }
        }
    }

    /// The key filter page a lookup of this key reads.
    func prefetchFilter(_ kind: IndexKind, hash: UInt64) {
        mappedIndex?.prefetchFilter(kind, hash: hash)
    }

    /// The postings a lookup of this key reads, if the key filter may hold it (see
    /// ``MappedSegmentIndex/prefetchPostings(_:hash:askFilter:)``; waits for the filter page unless `askFilter`
    /// is false).
    func prefetchPostings(_ kind: IndexKind, hash: UInt64, askFilter: Bool = true) {
        mappedIndex?.prefetchPostings(kind, hash: hash, askFilter: askFilter)
    }

    /// The mapped batch table's block table.
    func prefetchBatchTable() {
        state.withLock { $0.batches?.mapped }?.prefetchBatchTable()
    }

    /// The mapped batch-table block that holds `seq` (waits for the block table if it was not checked).
    func prefetchBatchBlock(holding seq: UInt64) {
        guard let mapped = state.withLock({ $0.batches?.mapped }), seq < mapped.endSeq else { return }
        mapped.prefetchBatchBlock(holding: seq)
    }
}
