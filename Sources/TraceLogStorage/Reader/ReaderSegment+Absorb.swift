extension ReaderSegment {
    /// Indexes batches that this process's writer has just appended to this segment, from their uncompressed
    /// payloads: nothing is read back or decompressed.
    ///
    /// Each batch is taken in under its own hold of the segment's lock, so a lookup on another thread (the ingest
    /// thread resolving the next chunk asks this segment's index for every new entity) waits for one batch's
    /// indexing at most, not for a whole append's.
    ///
    /// Returns true when every batch was taken in. Stops at the first batch that does not continue exactly where
    /// the segment's view ends (same offset, same sequence number) or that belongs to another segment, or when the
    /// segment is not loaded as the last one, and returns false: the caller then refreshes, which finds the batches
    /// not taken in by scanning. That covers a refresh that got there first and a writer that rolled.
    func absorb(_ written: ArraySlice<WrittenBatch>) -> Bool {
        written.allSatisfy { batch in absorb(batch) }
    }

    private func absorb(_ batch: WrittenBatch) -> Bool {
        state.withLock { state in
            guard state.loadedAsLast, var batches = state.batches, batch.segmentBaseSeq == baseSeq,
                batch.location.offset == state.scannedTo, batch.location.baseSeq == state.endSeq
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
            index.add(batch.payload)
            batches.scanned.append(batch.location)
            state.index = prefix.map { .layered($0, index) } ?? .memory(index)
            state.batches = batches
            state.scannedTo = batch.location.offset + Int64(batch.location.length)
            state.endSeq = batch.location.endSeq
            return true
        }
    }
}
