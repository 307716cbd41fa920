/// Unsigned LEB128 varints (7 bits per byte, low group first, high bit set on every byte but the last) written
/// through a pointer, for the encoders that write into room sized up front.
enum Varint {
    /// The most bytes a `UInt64` takes.
    static let maximumSize = 10

    /// Writes `value` at `destination`, which must have room for ``maximumSize`` bytes; returns the bytes written.
    @inline(__always)
    static func write(_ value: UInt64, to destination: UnsafeMutableRawPointer) -> Int {
        var remaining = value
        var written = 0
        while remaining >= 0x80 {
            destination.storeBytes(
                of: UInt8(truncatingIfNeeded: remaining) | 0x80, toByteOffset: written, as: UInt8.self)
            written += 1
            remaining >>= 7
        }
        destination.storeBytes(of: UInt8(remaining), toByteOffset: written, as: UInt8.self)
        return written + 1
    }
}
