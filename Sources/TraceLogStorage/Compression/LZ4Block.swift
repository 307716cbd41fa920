internal import CLZ4

/// liblz4's block API: one batch payload in, one compressed block out.
///
/// Blocks are independent (no dictionary between batches), so any batch can be read on its own.
package enum LZ4Block {
    /// The largest compressed size `count` input bytes can take.
    package static func compressBound(_ count: Int) -> Int {
        Int(LZ4_compressBound(Int32(count)))
    }

    /// Compresses `source` into `destination`, which must hold ``compressBound(_:)`` bytes.
    /// Returns the compressed length, or 0 when liblz4 reports failure.
    package static func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer)
        -> Int
    {
        guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return 0 }
        let written = LZ4_compress_default(
            sourceBase.assumingMemoryBound(to: CChar.self),
            destinationBase.assumingMemoryBound(to: CChar.self),
            Int32(source.count), Int32(destination.count))
        return Int(written)
    }

    /// Decompresses a block whose original length is known exactly.
    /// Returns false when the block is malformed or does not decompress to exactly `destination.count` bytes.
    package static func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer)
        -> Bool
    {
        // The only block of nothing is a lone token with no literals and no match (liblz4 needs a buffer).
        if destination.isEmpty { return source.count == 1 && source[0] == 0 }
        guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return false }
        let produced = LZ4_decompress_safe(
            sourceBase.assumingMemoryBound(to: CChar.self),
            destinationBase.assumingMemoryBound(to: CChar.self),
            Int32(source.count), Int32(destination.count))
        return Int(produced) == destination.count
    }

    /// Decompresses the first `target` bytes (or more, up to the block's length) of a block into `destination`,
    /// which must hold the whole decompressed block: liblz4 stops decoding once it has produced them
    /// (`LZ4_decompress_safe_partial`). Returns how many bytes were decoded — `destination.count` when the
    /// block is shorter than the target — or nil when the block is malformed.
    package static func decompressPrefix(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, target: Int
    ) -> Int? {
        if destination.isEmpty { return source.count == 1 && source[0] == 0 ? 0 : nil }
        guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return nil }
        let produced = LZ4_decompress_safe_partial(
            sourceBase.assumingMemoryBound(to: CChar.self),
            destinationBase.assumingMemoryBound(to: CChar.self),
            Int32(source.count), Int32(min(max(target, 0), destination.count)), Int32(destination.count))
        return produced < 0 ? nil : Int(produced)
    }
}
