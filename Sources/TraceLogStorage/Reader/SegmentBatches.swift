/// A segment's batches as a reader knows them: those of a mapped index file, read in place block by block,
/// then those scanned after what the file covers (or all of them, when there is no file).
struct SegmentBatches: Sendable {
    var mapped: MappedSegmentIndex?
    var scanned: [BatchLocation] = []

    var count: Int { (mapped?.batchCount ?? 0) + scanned.count }

    /// The batch holding `seq`, if any.
    func containing(_ seq: UInt64) throws(MappedSegmentIndex.Invalid) -> BatchLocation? {
        if let mapped, seq < mapped.endSeq { return try mapped.batch(containing: seq) }
        var low = 0
        var high = scanned.count
        while low < high {
            let middle = (low + high) / 2
            if scanned[middle].endSeq <= seq { low = middle + 1 } else { high = middle }
        }
        guard low < scanned.count, scanned[low].baseSeq <= seq else { return nil }
        return scanned[low]
    }

    /// The first batch that starts after `seq`, if any.
    func first(after seq: UInt64) throws(MappedSegmentIndex.Invalid) -> BatchLocation? {
        if let found = try mapped?.firstBatch(after: seq) { return found }
        return scanned.first { $0.baseSeq > seq }
    }

    /// Every batch, in file order (verifying every block of a mapped table).
    func all() throws(MappedSegmentIndex.Invalid) -> [BatchLocation] {
        try (mapped?.allBatches() ?? []) + scanned
    }
}
