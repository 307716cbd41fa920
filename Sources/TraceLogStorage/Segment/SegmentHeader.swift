/// The 32-byte header at the start of every segment file (format version 1, little-endian).
///
/// ```
/// offset size field
///  0     4    magic "TLSG"
///  4     2    format version (1)
///  6     2    reserved, 0
///  8     8    base sequence number (equals the number in the file name)
/// 16     8    creation time (µs since the epoch), for time-based rolling
/// 24     4    reserved, 0
/// 28     4    CRC32C of bytes 0..<28
/// ```
struct SegmentHeader: Hashable, Sendable {
    static let size = 32
    static let magic: UInt32 = 0x4753_4C54  // "TLSG" read as little-endian
    static let formatVersion: UInt16 = 1

    var baseSeq: UInt64
    var createdAt: Int64

    func encoded() -> [UInt8] {
        var encoder = BinaryEncoder(capacity: Self.size)
        encoder.append(littleEndian: Self.magic)
        encoder.append(littleEndian: Self.formatVersion)
        encoder.append(littleEndian: UInt16(0))
        encoder.append(littleEndian: baseSeq)
        encoder.append(littleEndian: createdAt)
        encoder.append(littleEndian: UInt32(0))
        encoder.append(littleEndian: CRC32C.checksum(encoder.bytes))
        return encoder.bytes
    }

    /// Parses a header; returns a reason when the bytes are not one.
    static func decode(_ bytes: [UInt8]) -> Result<SegmentHeader, LogError> {
        bytes.withUnsafeBytes { raw in
            guard raw.count >= size else { return .failure(.invalidArgument("segment header is incomplete")) }
            guard raw.loadLittleEndian(at: 0, as: UInt32.self) == magic else {
                return .failure(.invalidArgument("no segment magic"))
            }
            guard
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<28]))
                    == raw.loadLittleEndian(at: 28, as: UInt32.self)
            else { return .failure(.invalidArgument("segment header checksum mismatch")) }
            let version = raw.loadLittleEndian(at: 4, as: UInt16.self)
            guard version == formatVersion else {
                return .failure(.invalidArgument("unsupported segment format version \(version)"))
            }
            return .success(
                SegmentHeader(
                    baseSeq: raw.loadLittleEndian(at: 8, as: UInt64.self),
                    createdAt: raw.loadLittleEndian(at: 16, as: Int64.self)))
        }
    }
}
