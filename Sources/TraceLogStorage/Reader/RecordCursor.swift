/// Iterates records in sequence order, one decoded batch at a time.
///
/// A damaged batch throws ``LogError/corruptBatch(segment:offset:reason:)`` naming the segment and offset;
/// ``skipDamagedBatch()`` moves past it so later (valid) records can still be read.
public struct RecordCursor {
    let reader: LogReader
    /// The sequence number ``next()`` returns next.
    public private(set) var position: UInt64
    /// Iteration stops before this sequence number.
    public let end: UInt64
    private var buffered: [StoredRecord] = []
    private var bufferedIndex = 0
    private var failedBatchEnd: UInt64?

    init(reader: LogReader, next: UInt64, end: UInt64) {
        self.reader = reader
        self.position = next
        self.end = end
    }

    /// The next record, or nil at the end.
    public mutating func next() throws(LogError) -> StoredRecord? {
        guard position < end else { return nil }
        if bufferedIndex >= buffered.count || buffered[bufferedIndex].seq != position {
            do {
                let (segment, location) = try reader.locate(position)
                let payload = try segment.readBatch(location)
                buffered = try reader.decodeRecords(payload, segment: segment, location: location)
                bufferedIndex = Int(position - location.baseSeq)
            } catch {
                failedBatchEnd = nextValidSeq(after: position)
                throw error
            }
        }
        defer {
            bufferedIndex += 1
            position += 1
        }
        return buffered[bufferedIndex]
    }

    /// After a ``LogError/corruptBatch(segment:offset:reason:)``, continues at the first record after the damage.
    public mutating func skipDamagedBatch() {
        if let resume = failedBatchEnd { position = max(position + 1, resume) } else { position += 1 }
        failedBatchEnd = nil
    }

    /// The first readable sequence number after `seq`, scanning the batch tables.
    private func nextValidSeq(after seq: UInt64) -> UInt64? {
        let segments = reader.segments.withLock { $0 }
        for segment in segments {
            if let batch = segment.batches.first(where: { $0.baseSeq > seq }) { return batch.baseSeq }
        }
        return segments.first { $0.baseSeq > seq }?.baseSeq
    }
}
