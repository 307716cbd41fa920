extension ReaderSegment {
    /// Indexes batches that this process's writer has just appended to this segment, from their uncompressed
    /// payloads: nothing is read back or decompressed.
    ///
    /// Returns false and changes nothing unless the segment is loaded as the last one and the batches continue
    /// exactly where its view ends (same offset, same sequence number); the caller then refreshes instead, which
    /// finds them by scanning. That covers a refresh that got there first and a writer that rolled.
    func absorb(_ written: ArraySlice<WrittenBatch>) -> Bool {
        state.withLock { state in
            guard state.loadedAsLast, var batches = state.batches, let first = written.first,
                first.location.offset == state.scannedTo, first.location.baseSeq == state.endSeq,
                written.allSatisfy({ $0.segmentBaseSeq == baseSeq })
            else { return false }
            var index = MemoryIndex()
            var prefix: MappedSegmentIndex?
            switch state.index {
            case .memory(let existing): index = existing
            case .mapped(let mapped): prefix = mapped
            case .layered(let mapped, let tail): (prefix, index) = (mapped, tail)
            case nil: return false
            }
            // Hand the index and batch list over without copy-on-write copies: both grow with the segment.
            state.index = nil
            state.batches = nil
            for batch in written {
                index.add(batch.payload)
                batches.scanned.append(batch.location)
            }
            state.index = prefix.map { .layered($0, index) } ?? .memory(index)
            state.batches = batches
            let last = written[written.index(before: written.endIndex)].location
            state.scannedTo = last.offset + Int64(last.length)
            state.endSeq = last.endSeq
            return true
        }
    }
}
