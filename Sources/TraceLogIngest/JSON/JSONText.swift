/// A JSON text in memory, as the scanner reads it.
///
/// Unlike `UnsafeRawBufferPointer`, whose base address is optional and re-checked on every read, the base
/// here is never nil (an empty text points at a static empty string), so a read is a single load. This is
/// the scanner's only raw-memory access; the caller guarantees the bytes outlive it and every offset read is
/// below `count` (the scanner checks before each read).
struct JSONText {
    /// The first byte.
    let base: UnsafeRawPointer
    /// The number of bytes.
    let count: Int

    /// Wraps the bytes of `buffer`, which must stay valid while this text is used.
    init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
        count = buffer.count
    }

    /// The byte at `offset` (`0..<count`).
    @inline(__always)
    subscript(offset: Int) -> UInt8 {
        base.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// The eight bytes at `offset` (`offset + 8 <= count`) as one word, in memory order.
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// The bytes in `range` (within `0..<count`).
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
