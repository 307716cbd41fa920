import Synchronization

/// Reading only the first records of a batch: what a point lookup needs when the records it wants sit early
/// in the batch.
///
/// A lookup knows the positions of its records in the batch (sequence numbers minus the batch's base), not
/// their byte offsets, so it asks liblz4 for an estimate of the bytes they take (their share of the batch, plus
/// two records' worth) and frames records in what it got; when that falls short it decompresses the whole
/// batch. The payload checksum still covers all of the stored bytes; the records handed out have their length
/// and kind checked as in a whole read. What a prefix read does not check is the framing of the records after
/// it (that the batch holds exactly its record count): whole reads — scans, `verify`, index rebuilds — do.
extension BatchPayload {
    /// Checks the payload checksum and decodes at least the first `records` records (all when `records` is the
    /// record count or more).
    package static func decodePrefix(header: BatchHeader, stored: UnsafeRawBufferPointer, records: Int)
        -> Result<BatchPayload, Problem>
    {
        let total = Int(header.recordCount)
        let length = Int(header.uncompressedLength)
        guard header.codec == .lz4, records < total else { return decode(header: header, stored: stored) }
        // Their share of the bytes plus two average records: most prefixes decode in one go.
        let target = length / total * (max(records, 1) + 2) + 64
        guard target < length * 7 / 8 else { return decode(header: header, stored: stored) }
        guard stored.count == Int(header.storedLength), CRC32C.checksum(stored) == header.payloadChecksum else {
            return .failure(.payloadChecksum)
        }
        var produced: Int?
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            produced = LZ4Block.decompressPrefix(stored, into: UnsafeMutableRawBufferPointer(buffer), target: target)
            count = produced ?? 0
        }
        guard let produced else { return .failure(.decompression) }
        var offsets: [UInt32] = []
        offsets.reserveCapacity(records + 1)
        let complete: Bool = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offsets.count < records {
                // A record that runs past what was decoded needs more of the batch, not a framing error.
                guard buffer.count - offset >= RecordLayout.fixedSize,
                    Int(buffer.loadLittleEndian(at: offset, as: UInt32.self)) + 4 <= buffer.count - offset,
                    let size = RecordView.framedSize(in: buffer, at: offset)
                else { return false }
                offsets.append(UInt32(offset))
                offset += size
            }
            offsets.append(UInt32(offset))
            return true
        }
        // Short of the records asked for (the estimate was low, or a record is malformed): the whole batch, which
        // also tells a malformed record from a short prefix.
        guard complete, produced < length else { return decode(header: header, stored: stored) }
        return .success(BatchPayload(header: header, bytes: bytes, offsets: offsets))
    }
}

/// Whether point lookups decode batch prefixes (on by default, for the whole process). Turned off only to
/// measure whole-batch reads against prefix reads in one benchmark run (`tracelog-compare`); answers are the same
/// either way.
public enum BatchPrefixReads {
    private static let state = Atomic<Bool>(true)

    /// Whether prefix reads are on. Cost: one relaxed atomic load per batch a lookup reads.
    public static var enabled: Bool {
        get { state.load(ordering: .relaxed) }
        set { state.store(newValue, ordering: .relaxed) }
    }
}
