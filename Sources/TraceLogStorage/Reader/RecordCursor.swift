/// Iterates records in sequence order, one decoded batch at a time, decoding each into a ``Record``.
///
/// For scans that only look at fields, or re-encode them (`replay`), ``RecordScanner`` hands out zero-copy views
/// instead, without a `String` per field.
///
/// A damaged batch throws ``LogError/corruptBatch(segment:offset:reason:)`` naming the segment and offset;
/// ``skipDamagedBatch()`` moves past it so later (valid) records can still be read.
public struct RecordCursor {
    let reader: LogReader
    /// The sequence number ``next()`` returns next.
    public private(set) var position: UInt64
    /// Iteration stops before this sequence number.
    public let end: UInt64
    /// The batch being read, decoded one record at a time as ``next()`` reaches it.
    private var batch: (payload: BatchPayload, segment: String, location: BatchLocation)?
    private var failedBatchEnd: UInt64?

    init(reader: LogReader, next: UInt64, end: UInt64) {
        self.reader = reader
        self.position = next
        self.end = end
    }

    /// The next record, or nil at the end.
    public mutating func next() throws(LogError) -> StoredRecord? {
        guard position < end else { return nil }
        if batch.map({ position < $0.location.baseSeq || position >= $0.location.endSeq }) ?? true {
            do {
                let (segment, location) = try reader.locate(position)
                batch = (try segment.readBatch(location, sequential: true), segment.name, location)
            } catch {
                batch = nil
                failedBatchEnd = reader.firstReadableSeq(after: position)
                throw error
            }
        }
        guard let (payload, segment, location) = batch else { return nil }
        let seq = position
        do {
            let record = try payload.record(at: Int(seq - location.baseSeq))
            position += 1
            return StoredRecord(seq: seq, record: record)
        } catch {
            batch = nil
            failedBatchEnd = location.endSeq
            throw .corruptBatch(segment: segment, offset: location.offset, reason: error.reason)
        }
    }

    /// After a ``LogError/corruptBatch(segment:offset:reason:)``, continues at the first record after the damage.
    public mutating func skipDamagedBatch() {
        if let resume = failedBatchEnd { position = max(position + 1, resume) } else { position += 1 }
        failedBatchEnd = nil
    }
}
