extension ReaderSegment {
    /// Notes that a segment loaded as the last one is sealed now (a newer one exists): a torn end there is damage,
    /// not a write in progress, the writer never appends to it again, and its index can move to its file.
    func markSealed() {
        state.withLock { $0.loadedAsLast = false }
    }

    /// After a sealed segment's index file is written, reads the segment's index from that file (memory-mapped,
    /// its pages the kernel's to drop) and lets go of the in-memory one. The postings in memory take about a
    /// hundred bytes per record, so without this a writer's process held an index for every segment it filled
    /// and its memory grew with the log (issue 13: 1.2 GB at 10M events). Keeps the in-memory index when the file
    /// does not load, or does not cover exactly what memory holds: the index is derived data either way.
    ///
    /// Only when a sealed segment is finished or loaded by the writer's process (``LogReader/refresh()``,
    /// ``loadSealed(directory:persist:)``), never after a rebuild that a failed check of a mapped index caused: a
    /// rebuilt index stays in memory, which is what ends ``withCheckedIndex(_:)``'s retry.
    func readIndexFromFile(directory: LogDirectory) {
        let held = state.withLock { state -> (covered: Int64, endSeq: UInt64)? in
            switch state.index {
            case .memory, .layered: return state.loadedAsLast ? nil : (state.scannedTo, state.endSeq)
            case .mapped, nil: return nil
            }
        }
        guard let held, let length = try? fileLength() else { return }
        let mapped: MappedSegmentIndex
        do throws(MappedSegmentIndex.Invalid) {
            let region = try MappedSegmentIndex.map(try openIndexFile(directory: directory))
            mapped = try MappedSegmentIndex(region: region, expectedBaseSeq: baseSeq, segmentSize: length)
        } catch {
            return
        }
        guard mapped.segmentLength == held.covered, mapped.endSeq == held.endSeq else { return }
        state.withLock { state in
            guard !state.loadedAsLast, state.scannedTo == held.covered, state.endSeq == held.endSeq else { return }
            switch state.index {
            case .memory, .layered: state.index = .mapped(mapped)
            case .mapped, nil: return
            }
        }
    }
}
