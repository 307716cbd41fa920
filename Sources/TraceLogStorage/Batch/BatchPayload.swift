/// The decompressed records of one batch, owned as one contiguous buffer.
///
/// Records inside are read through ``RecordView`` (zero-copy) or decoded to ``Record`` values.
public struct BatchPayload: Sendable {
    /// The batch's header values.
    package let header: BatchHeader
    /// The uncompressed record bytes.
    let bytes: [UInt8]
    /// Start offset of each record in `bytes`, plus the end: record `i` is `offsets[i]..<offsets[i + 1]`.
    /// Computed once while checking the framing, so record access is O(1).
    ///
    /// The framing check covers what makes a ``RecordView`` memory-safe to read — each record's length, the
    /// fixed part, a known kind — but not the field list inside each record: that walk cost a third of a point
    /// lookup, for records the lookup never looks at. Field framing is checked when a record is decoded
    /// (``record(at:)``) and by `verify`; views read fields through bounds-checked decoders either way.
    let offsets: [UInt32]

    /// Sequence number of the first record.
    public var baseSeq: UInt64 { header.baseSeq }
    /// Number of records decoded: all of the batch's, unless it was read as a prefix (see
    /// ``decodePrefix(header:stored:records:)``).
    public var count: Int { offsets.count - 1 }
    /// Whether every record of the batch was decoded (and the whole payload's framing checked).
    package var isComplete: Bool { count == Int(header.recordCount) }

    /// Why stored bytes are not a valid batch payload.
    package enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case payloadChecksum
        case decompression
        case recordFraming(offset: Int, reason: String)

        package var description: String {
            switch self {
            case .payloadChecksum: "batch payload checksum mismatch"
            case .decompression: "LZ4 block does not decompress to the recorded length"
            case .recordFraming(let offset, let reason): "record at payload offset \(offset): \(reason)"
            }
        }
    }

    /// Checks the payload checksum, decompresses, and checks that exactly `recordCount` records fill it.
    package static func decode(header: BatchHeader, stored: UnsafeRawBufferPointer) -> Result<BatchPayload, Problem> {
        guard stored.count == Int(header.storedLength), CRC32C.checksum(stored) == header.payloadChecksum else {
            return .failure(.payloadChecksum)
        }
        var bytes: [UInt8]
        switch header.codec {
        case .stored:
            bytes = Array(stored)
        case .lz4:
            var ok = false
            bytes = [UInt8](unsafeUninitializedCapacity: Int(header.uncompressedLength)) { buffer, count in
                ok = LZ4Block.decompress(stored, into: UnsafeMutableRawBufferPointer(buffer))
                count = buffer.count
            }
            guard ok else { return .failure(.decompression) }
        }
        switch framing(bytes, count: Int(header.recordCount)) {
        case .success(let offsets): return .success(BatchPayload(header: header, bytes: bytes, offsets: offsets))
        case .failure(let problem): return .failure(problem)
        }
    }

    /// Validates that exactly `count` well-formed records fill `bytes`; returns their offsets.
    private static func framing(_ bytes: [UInt8], count: Int) -> Result<[UInt32], Problem> {
        bytes.withUnsafeBytes { buffer in
            var offsets: [UInt32] = []
            offsets.reserveCapacity(count + 1)
            var offset = 0
            for _ in 0..<count {
                guard let size = RecordView.framedSize(in: buffer, at: offset) else {
                    return .failure(.recordFraming(offset: offset, reason: "malformed record"))
                }
                offsets.append(UInt32(offset))
                offset += size
            }
            offsets.append(UInt32(offset))
            return offset == buffer.count
                ? .success(offsets) : .failure(.recordFraming(offset: offset, reason: "bytes after the last record"))
        }
    }

    /// Calls `body` with the view of the record at `index` (0-based within the batch).
    package func withView<T>(at index: Int, _ body: (RecordView) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { buffer in
            let range = Int(offsets[index])..<Int(offsets[index + 1])
            return try body(RecordView(validated: UnsafeRawBufferPointer(rebasing: buffer[range])))
        }
    }

    /// Calls `body` with a function that makes the view of the record at an index (0-based within the batch):
    /// several views of one batch for the price of one buffer access.
    package func withViews<T>(_ body: ((Int) -> RecordView) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { buffer in
            try body { index in
                let range = Int(offsets[index])..<Int(offsets[index + 1])
                return RecordView(validated: UnsafeRawBufferPointer(rebasing: buffer[range]))
            }
        }
    }

    /// Calls `body` with each record's sequence number and zero-copy view, in order.
    package func forEachView(_ body: (UInt64, RecordView) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buffer in
            for index in 0..<count {
                let range = Int(offsets[index])..<Int(offsets[index + 1])
                try body(
                    header.baseSeq + UInt64(index),
                    RecordView(validated: UnsafeRawBufferPointer(rebasing: buffer[range])))
            }
        }
    }

    /// Decodes the record at `index`, checking its field framing first.
    package func record(at index: Int) throws(RecordDecodingError) -> Record {
        let outcome = bytes.withUnsafeBytes { buffer in
            Result { () throws(RecordDecodingError) in try RecordDecoder.decode(buffer, at: Int(offsets[index])).0 }
        }
        return try outcome.get()
    }

    /// Decodes every record.
    package func records() throws(RecordDecodingError) -> [StoredRecord] {
        var result: [StoredRecord] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(StoredRecord(seq: header.baseSeq + UInt64(index), record: try record(at: index)))
        }
        return result
    }
}
