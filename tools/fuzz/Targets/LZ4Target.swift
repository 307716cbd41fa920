internal import CLZ4
import TraceLogStorage

/// (d) The LZ4 block wrapper: 4 bytes of declared decompressed size (little-endian, taken modulo 1 MiB + 1),
/// then a block.
///
/// A block that decompresses must decompress to exactly the declared size (liblz4 called directly with room
/// to spare is the reference) without writing past it, and compress back to something that decompresses
/// to the same bytes. Arbitrary bytes must survive compress → decompress.
enum LZ4Target {
    static let maximumDeclared = 1 << 20
    /// Bytes after the destination that must still hold their fill pattern afterwards (liblz4 is not
    /// instrumented by AddressSanitizer, so an overrun there would go unseen without this).
    static let guardBytes = 64

    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        guard input.count >= 4 else { return }
        let declared = Int(input.loadUnaligned(as: UInt32.self).littleEndian) % (maximumDeclared + 1)
        let block = UnsafeRawBufferPointer(rebasing: input[4...])
        if let output = try decompress(block, declared: declared) {
            let reference = referenceLength(block, capacity: declared + guardBytes)
            try check(reference == declared, "accepted as \(declared) bytes, liblz4 says \(reference)")
            try roundTrip(output)
        }
        try roundTrip(Array(input))
    }

    /// Decompresses into exactly `declared` bytes followed by guard bytes; nil when the wrapper says no.
    private static func decompress(_ block: UnsafeRawBufferPointer, declared: Int) throws(Violation) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0xA5, count: declared + guardBytes)
        let accepted = buffer.withUnsafeMutableBytes { raw in
            LZ4Block.decompress(block, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<declared]))
        }
        try check(buffer[declared...].allSatisfy { $0 == 0xA5 }, "decompression wrote past the declared size")
        return accepted ? Array(buffer[0..<declared]) : nil
    }

    /// What liblz4 itself makes of the block with `capacity` bytes of room (negative: malformed).
    private static func referenceLength(_ block: UnsafeRawBufferPointer, capacity: Int) -> Int {
        var scratch = [UInt8](repeating: 0, count: capacity)
        let empty: [UInt8] = [0]
        return scratch.withUnsafeMutableBytes { destination in
            empty.withUnsafeBytes { placeholder in
                let source = block.baseAddress ?? placeholder.baseAddress!
                return Int(
                    LZ4_decompress_safe(
                        source.assumingMemoryBound(to: CChar.self),
                        destination.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(block.count),
                        Int32(capacity)))
            }
        }
    }

    /// `bytes` compress to a block that decompresses to exactly `bytes`. (Not for empty input: the wrapper
    /// reports 0 bytes for it, and a batch is never empty.)
    private static func roundTrip(_ bytes: [UInt8]) throws(Violation) {
        guard !bytes.isEmpty else { return }
        var compressed = [UInt8](repeating: 0, count: LZ4Block.compressBound(bytes.count))
        let length = bytes.withUnsafeBytes { source in
            compressed.withUnsafeMutableBytes { LZ4Block.compress(source, into: $0) }
        }
        try check(length > 0, "\(bytes.count) bytes did not compress")
        let block = Array(compressed[0..<length])
        let back = try block.withUnsafeBytes { raw in
            Result { () throws(Violation) in try decompress(raw, declared: bytes.count) }
        }.get()
        try check(back == bytes, "compress → decompress changed \(bytes.count) bytes")
    }
}
