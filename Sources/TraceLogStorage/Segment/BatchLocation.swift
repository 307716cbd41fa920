/// Where one batch sits in a segment file and what it holds; the unit of the sparse sequence and time index.
public struct BatchLocation: Hashable, Sendable {
    /// Sequence number of its first record.
    public var baseSeq: UInt64
    /// Number of records.
    public var recordCount: UInt32
    /// Byte offset of the batch header in the segment file.
    public var offset: Int64
    /// Header plus stored payload, in bytes.
    public var length: Int32
    /// Earliest record time (µs).
    public var minTime: Int64
    /// Latest record time (µs).
    public var maxTime: Int64
    /// Uncompressed payload length.
    public var uncompressedLength: UInt32
    /// CRC32C of the stored payload (from the batch header): lets an index file be matched to the bytes it
    /// was built from.
    public var checksum: UInt32

    /// One past its last sequence number.
    public var endSeq: UInt64 { baseSeq + UInt64(recordCount) }

    init(header: BatchHeader, offset: Int64) {
        baseSeq = header.baseSeq
        recordCount = header.recordCount
        self.offset = offset
        length = Int32(header.totalLength)
        minTime = header.minTime
        maxTime = header.maxTime
        uncompressedLength = header.uncompressedLength
        checksum = header.payloadChecksum
    }
}
