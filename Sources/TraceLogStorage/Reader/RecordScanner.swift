/// Scans records in sequence order one batch at a time, handing out zero-copy ``RecordView``s: the full-scan
/// path of `replay`, exports and statistics that need no ``Record`` values.
///
/// Each ``next()`` reads and checks one batch (checksum, decompression, record lengths and kinds) through the
/// segment's sequential mapping and returns it as a ``ScannedBatch``; its views live as long as that batch. A
/// damaged batch throws ``LogError/corruptBatch(segment:offset:reason:)`` naming the segment and offset;
/// ``skipDamagedBatch()`` moves past it, as with ``RecordCursor``.
///
/// Cost per record: no allocation, no `String`, no copy — one allocation per batch (its decompressed bytes and
/// record offsets), about a hundred records.
public struct RecordScanner {
    let reader: LogReader
    /// The sequence number the next batch starts at.
    public private(set) var position: UInt64
    /// Scanning stops before this sequence number.
    public let end: UInt64
    private var failedBatchEnd: UInt64?

    init(reader: LogReader, next: UInt64, end: UInt64) {
        self.reader = reader
        self.position = next
        self.end = end
    }

    /// The next batch's records from ``position`` on (up to ``end``), or nil at the end.
    public mutating func next() throws(LogError) -> ScannedBatch? {
        guard position < end else { return nil }
        do {
            let (segment, location) = try reader.locate(position)
            let payload = try segment.readBatch(location, sequential: true)
            let seqs = position..<min(end, location.endSeq)
            position = seqs.upperBound
            return ScannedBatch(payload: payload, seqs: seqs, segment: segment.name, offset: location.offset)
        } catch {
            failedBatchEnd = reader.firstReadableSeq(after: position)
            throw error
        }
    }

    /// After a ``LogError/corruptBatch(segment:offset:reason:)``, continues at the first record after the damage.
    public mutating func skipDamagedBatch() {
        if let resume = failedBatchEnd { position = max(position + 1, resume) } else { position += 1 }
        failedBatchEnd = nil
    }
}

/// The records of one batch that a ``RecordScanner`` read, seen through zero-copy views.
public struct ScannedBatch: Sendable {
    let payload: BatchPayload
    /// The sequence numbers of the records this batch hands out (the part of the batch inside the scan's range).
    public let seqs: Range<UInt64>
    /// The segment file the batch is in.
    public let segment: String
    /// The batch's offset in that file.
    public let offset: Int64

    /// Calls `body` with each record's sequence number and view, in order.
    ///
    /// A record whose field list is malformed, or an error `body` throws about a record (a required field
    /// missing, say), throws ``LogError/corruptBatch(segment:offset:reason:)`` naming this batch: the records
    /// before it were handed out, those after it are not.
    public func forEach(_ body: (UInt64, RecordView) throws(RecordDecodingError) -> Void) throws(LogError) {
        let outcome: Result<Void, RecordDecodingError> = payload.bytes.withUnsafeBytes { buffer in
            for seq in seqs {
                let index = Int(seq - payload.baseSeq)
                let range = Int(payload.offsets[index])..<Int(payload.offsets[index + 1])
                let view = RecordView(validated: UnsafeRawBufferPointer(rebasing: buffer[range]))
                guard view.isWellFormed else {
                    return .failure(RecordDecodingError(offset: range.lowerBound, reason: "malformed record framing"))
                }
                do throws(RecordDecodingError) {
                    try body(seq, view)
                } catch {
                    return .failure(RecordDecodingError(offset: range.lowerBound, reason: error.reason))
                }
            }
            return .success(())
        }
        if case .failure(let error) = outcome {
            throw .corruptBatch(
                segment: segment, offset: offset, reason: "record at payload offset \(error.offset): \(error.reason)")
        }
    }
}

extension LogReader {
    /// A zero-copy scan of records from `start` (inclusive) to `end` (exclusive; default: the current end).
    public func scanner(from start: UInt64 = 0, to end: UInt64? = nil) -> RecordScanner {
        RecordScanner(reader: self, next: max(start, startSeq), end: end ?? endSeq)
    }

    /// Calls `body` with every record from `start` to `end` as a zero-copy view, in sequence order; the first
    /// damaged batch throws ``LogError/corruptBatch(segment:offset:reason:)`` (use ``scanner(from:to:)`` to
    /// skip damage instead).
    public func forEachRecord(
        from start: UInt64 = 0, to end: UInt64? = nil, _ body: (UInt64, RecordView) throws(RecordDecodingError) -> Void
    ) throws(LogError) {
        var scanner = scanner(from: start, to: end)
        while let batch = try scanner.next() { try batch.forEach(body) }
    }

    /// The first readable sequence number after `seq`, from the batch tables (where a scan resumes after damage).
    func firstReadableSeq(after seq: UInt64) -> UInt64? {
        let all = segments.withLock { $0 }
        for segment in all {
            if let batch = try? segment.firstBatch(after: seq) { return batch.baseSeq }
        }
        return all.first { $0.baseSeq > seq }?.baseSeq
    }
}
