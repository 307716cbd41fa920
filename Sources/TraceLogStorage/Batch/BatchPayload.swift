/// The decompressed records of one batch, owned as one contiguous buffer.
///
/// Records inside are read through ``RecordView`` (zero-copy) or decoded to ``Record`` values.
public struct BatchPayload: Sendable {
    /// The batch's header values.
    let header: BatchHeader
    /// The uncompressed record bytes.
    let bytes: [UInt8]

    /// Sequence number of the first record.
    public var baseSeq: UInt64 { header.baseSeq }
    /// Number of records.
    public var count: Int { Int(header.recordCount) }

    /// Why stored bytes are not a valid batch payload.
    enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case payloadChecksum
        case decompression
        case recordFraming(offset: Int, reason: String)

        var description: String {
            switch self {
            case .payloadChecksum: "batch payload checksum mismatch"
            case .decompression: "LZ4 block does not decompress to the recorded length"
            case .recordFraming(let offset, let reason): "record at payload offset \(offset): \(reason)"
            }
        }
    }

    /// Checks the payload checksum, decompresses, and checks that exactly `recordCount` records fill it.
    static func decode(header: BatchHeader, stored: UnsafeRawBufferPointer) -> Result<BatchPayload, Problem> {
        guard stored.count == Int(header.storedLength), CRC32C.checksum(stored) == header.payloadChecksum else {
            return .failure(.payloadChecksum)
        }
        var bytes: [UInt8]
        switch header.codec {
        case .stored:
            bytes = Array(stored)
        case .lz4:
            bytes = [UInt8](repeating: 0, count: Int(header.uncompressedLength))
            let ok = bytes.withUnsafeMutableBytes { LZ4Block.decompress(stored, into: $0) }
            guard ok else { return .failure(.decompression) }
        }
        let payload = BatchPayload(header: header, bytes: bytes)
        if let problem = payload.framingProblem() { return .failure(problem) }
        return .success(payload)
    }

    private func framingProblem() -> Problem? {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            for _ in 0..<count {
                guard let view = RecordView(in: buffer, at: offset) else {
                    return .recordFraming(offset: offset, reason: "malformed record")
                }
                offset += view.size
            }
            return offset == buffer.count ? nil : .recordFraming(offset: offset, reason: "bytes after the last record")
        }
    }

    /// Calls `body` with each record's sequence number and zero-copy view, in order.
    func forEachView(_ body: (UInt64, RecordView) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            for index in 0..<count {
                let view = RecordView(in: buffer, at: offset)!  // framing checked in decode
                try body(header.baseSeq + UInt64(index), view)
                offset += view.size
            }
        }
    }

    /// Decodes every record.
    func records() throws(RecordDecodingError) -> [StoredRecord] {
        let outcome = bytes.withUnsafeBytes { buffer in
            Result { () throws(RecordDecodingError) in try Self.decodeAll(buffer, header: header) }
        }
        return try outcome.get()
    }

    private static func decodeAll(_ buffer: UnsafeRawBufferPointer, header: BatchHeader)
        throws(RecordDecodingError) -> [StoredRecord]
    {
            let count = Int(header.recordCount)
            var result: [StoredRecord] = []
            result.reserveCapacity(count)
            var offset = 0
            for index in 0..<count {
                let (record, next) = try RecordDecoder.decode(buffer, at: offset)
                result.append(StoredRecord(seq: header.baseSeq + UInt64(index), record: record))
                offset = next
            }
            return result
    }
}
