/// A region of a segment file that is not valid: a damaged header, a corrupt batch, a torn tail, bytes cut off the
/// end of a sealed segment, or records missing between two segments.
public struct DamagedRegion: Hashable, Sendable, CustomStringConvertible {
    /// The segment file name.
    public var segment: String
    /// Byte offset where the damage starts (for missing bytes or records: where they would start).
    public var offset: Int64
    /// Bytes up to the next valid batch (or the end of the file; for bytes cut off a file, how many are missing).
    public var length: Int64
    /// What the first check that failed said.
    public var reason: String
    /// The sequence numbers whose records the damage makes unreadable or puts in doubt, when known (readers know
    /// them; the writer's recovery does not). Empty when no record is lost, e.g. bytes inserted between batches;
    /// for a damaged segment header, the whole segment.
    public var seqs: Range<UInt64>?

    /// Creates a region.
    public init(segment: String, offset: Int64, length: Int64, reason: String, seqs: Range<UInt64>? = nil) {
        self.segment = segment
        self.offset = offset
        self.length = length
        self.reason = reason
        self.seqs = seqs
    }

    /// Whether the region puts records of `span` in doubt: its sequence numbers overlap `span`, or, when it hides
    /// none, it lies at a sequence number inside `span`. A region without known sequence numbers touches any span.
    public func touches(_ span: Range<UInt64>) -> Bool {
        guard let seqs else { return true }
        return seqs.isEmpty ? span.contains(seqs.lowerBound) : seqs.overlaps(span)
    }

    public var description: String {
        var text = "\(segment) at offset \(offset) (\(length) bytes"
        if let seqs {
            switch seqs.count {
            case 0: break
            case 1: text += ", seq \(seqs.lowerBound)"
            default: text += ", seq \(seqs.lowerBound) to \(seqs.upperBound - 1)"
            }
        }
        return text + "): \(reason)"
    }
}
