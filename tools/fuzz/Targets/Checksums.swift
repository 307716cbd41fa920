internal import CCRC32C

/// Checksum fix-ups for fuzz inputs: a checksum field that holds 0 means "compute it for me".
///
/// Without this, almost every mutation of a batch or an index fails its CRC32C and the decoders behind the
/// checks are never reached. With it, the fuzzer can reach them by zeroing a checksum field, while inputs
/// with real checksums still exercise the checks themselves (a real CRC32C is 0 once in 4 billion).
enum Checksums {
    /// CRC32C of `bytes`.
    static func crc32c(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tracelog_crc32c(0, bytes.baseAddress, bytes.count)
    }

    /// If the little-endian `UInt32` at `field` is 0, replaces it with the CRC32C of `range`.
    /// Does nothing when either lies outside `bytes`.
    static func fill(_ bytes: inout [UInt8], field: Int, over range: Range<Int>) {
        guard field >= 0, field <= bytes.count - 4, range.lowerBound >= 0, range.upperBound <= bytes.count,
            load(UInt32.self, bytes, at: field) == 0
        else { return }
        let crc = bytes.withUnsafeBytes { crc32c(UnsafeRawBufferPointer(rebasing: $0[range])) }
        for index in 0..<4 { bytes[field + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
    }

    /// Sets the little-endian `UInt32` at `field` to 0 (to make a fix-up seed from a real file).
    static func clear(_ bytes: inout [UInt8], field: Int) {
        for index in 0..<4 { bytes[field + index] = 0 }
    }

    /// The little-endian integer at `offset`; the caller checks the bounds.
    static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
        return value
    }

    // MARK: Layouts (see OnDiskFormat.md)

    /// Fills the payload checksum (offset 48) and then the header checksum (52) of the batch at `start`.
    static func fillBatch(_ bytes: inout [UInt8], at start: Int) {
        guard start >= 0, bytes.count - start >= 56 else { return }
        let stored = Int(load(UInt32.self, bytes, at: start + 24))
        if stored <= bytes.count - start - 56 {
            fill(&bytes, field: start + 48, over: start + 56..<start + 56 + stored)
        }
        fill(&bytes, field: start + 52, over: start..<start + 52)
    }

    /// Fills each section's checksum (entry offset 24), then the header checksum (60) of an index file.
    static func fillIndex(_ bytes: inout [UInt8]) {
        guard bytes.count >= 64 else { return }
        let sections = min(Int(load(UInt32.self, bytes, at: 32)), 64)
        for section in 0..<sections {
            let entry = 64 + section * 32
            guard entry + 32 <= bytes.count else { break }
            let offset = load(UInt64.self, bytes, at: entry + 8)
            let length = load(UInt64.self, bytes, at: entry + 16)
            guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else { continue }
            fill(&bytes, field: entry + 24, over: Int(offset)..<Int(offset + length))
        }
        fill(&bytes, field: 60, over: 0..<60)
    }
}
