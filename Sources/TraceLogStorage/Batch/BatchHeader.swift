/// The 56-byte header in front of every batch (format version 1, all integers little-endian).
///
/// ```
/// offset size field
///  0     4    magic "TLB1"
///  4     2    format version (1)
///  6     2    codec: 0 = stored, 1 = LZ4 block
///  8     8    base sequence number (seq of the first record)
/// 16     4    record count (≥ 1)
/// 20     4    uncompressed payload length
/// 24     4    stored payload length (bytes that follow the header)
/// 28     4    reserved, 0
/// 32     8    minimum record time (µs)
/// 40     8    maximum record time (µs)
/// 48     4    CRC32C of the stored payload
/// 52     4    CRC32C of bytes 0..<52 of this header
/// ```
/// The header checksum tells a torn or garbage header from a real one before any length in it is trusted.
package struct BatchHeader: Hashable, Sendable {
    /// The header's length in bytes.
    package static let size = 56
    static let magic: UInt32 = 0x3142_4C54  // "TLB1" read as little-endian
    static let formatVersion: UInt16 = 1
    /// Upper bound on a batch's payload, to reject absurd lengths in a header before allocating.
    static let maximumPayload = 256 * 1024 * 1024

    /// How the payload is stored.
    package enum Codec: UInt16 {
        case stored = 0
        case lz4 = 1
    }

    /// How the payload that follows is stored.
    package var codec: Codec
    /// Sequence number of the first record.
    package var baseSeq: UInt64
    /// Number of records (at least 1).
    package var recordCount: UInt32
    /// Length of the records once decompressed.
    package var uncompressedLength: UInt32
    /// Length of the payload bytes that follow the header.
    package var storedLength: UInt32
    /// Smallest record time (µs).
    package var minTime: Int64
    /// Largest record time (µs).
    package var maxTime: Int64
    /// CRC32C of the stored payload.
    package var payloadChecksum: UInt32

    /// One past the last sequence number in the batch.
    package var endSeq: UInt64 { baseSeq + UInt64(recordCount) }
    /// Header plus payload.
    package var totalLength: Int { Self.size + Int(storedLength) }

    /// Appends the 56 header bytes.
    func encode(into encoder: inout BinaryEncoder) {
        let start = encoder.count
        encoder.append(littleEndian: Self.magic)
        encoder.append(littleEndian: Self.formatVersion)
        encoder.append(littleEndian: codec.rawValue)
        encoder.append(littleEndian: baseSeq)
        encoder.append(littleEndian: recordCount)
        encoder.append(littleEndian: uncompressedLength)
        encoder.append(littleEndian: storedLength)
        encoder.append(littleEndian: UInt32(0))
        encoder.append(littleEndian: minTime)
        encoder.append(littleEndian: maxTime)
        encoder.append(littleEndian: payloadChecksum)
        let checksum = encoder.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        encoder.append(littleEndian: checksum)
    }

    /// Why 56 bytes are not a valid batch header.
    package enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case truncated
        case badMagic
        case badHeaderChecksum
        case unsupportedVersion(UInt16)
        case unknownCodec(UInt16)
        case implausibleLengths
        case sequenceOverflow

        package var description: String {
            switch self {
            case .truncated: "incomplete batch header"
            case .badMagic: "no batch magic"
            case .badHeaderChecksum: "batch header checksum mismatch"
            case .unsupportedVersion(let version): "unsupported batch format version \(version)"
            case .unknownCodec(let codec): "unknown batch codec \(codec)"
            case .implausibleLengths: "implausible batch lengths"
            case .sequenceOverflow: "batch sequence numbers run past the largest sequence number"
            }
        }
    }

    /// Parses and checks a header (magic, header checksum, version, codec, lengths, sequence range).
    package static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<BatchHeader, Problem> {
        guard bytes.count >= size else { return .failure(.truncated) }
        guard bytes.loadLittleEndian(at: 0, as: UInt32.self) == magic else { return .failure(.badMagic) }
        let stored = bytes.loadLittleEndian(at: 52, as: UInt32.self)
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<52])) == stored else {
            return .failure(.badHeaderChecksum)
        }
        let version = bytes.loadLittleEndian(at: 4, as: UInt16.self)
        guard version == formatVersion else { return .failure(.unsupportedVersion(version)) }
        let rawCodec = bytes.loadLittleEndian(at: 6, as: UInt16.self)
        guard let codec = Codec(rawValue: rawCodec) else { return .failure(.unknownCodec(rawCodec)) }
        let header = BatchHeader(
            codec: codec,
            baseSeq: bytes.loadLittleEndian(at: 8, as: UInt64.self),
            recordCount: bytes.loadLittleEndian(at: 16, as: UInt32.self),
            uncompressedLength: bytes.loadLittleEndian(at: 20, as: UInt32.self),
            storedLength: bytes.loadLittleEndian(at: 24, as: UInt32.self),
            minTime: bytes.loadLittleEndian(at: 32, as: Int64.self),
            maxTime: bytes.loadLittleEndian(at: 40, as: Int64.self),
            payloadChecksum: bytes.loadLittleEndian(at: 48, as: UInt32.self))
        // Every record takes at least its fixed part, so the count is bounded by the length (before anything is
        // allocated per record).
        guard header.recordCount > 0, Int(header.uncompressedLength) <= maximumPayload,
            Int(header.storedLength) <= maximumPayload,
            header.codec == .lz4 || header.storedLength == header.uncompressedLength,
            Int(header.recordCount) <= Int(header.uncompressedLength) / RecordLayout.fixedSize
        else { return .failure(.implausibleLengths) }
        // Readers and the scanner compute `endSeq`, which must not overflow.
        guard header.baseSeq <= UInt64.max - UInt64(header.recordCount) else { return .failure(.sequenceOverflow) }
        return .success(header)
    }
}
