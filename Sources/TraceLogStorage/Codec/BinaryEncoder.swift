/// Appends little-endian integers, varints and length-prefixed fields to a growable byte buffer.
///
/// Used to build record and batch bytes; the buffer is reused between batches to avoid allocation.
package struct BinaryEncoder {
    /// The bytes written so far.
    package var bytes: [UInt8]

    /// Creates an empty buffer with room for `capacity` bytes.
    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes written.
    package var count: Int { bytes.count }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func append(contentsOf raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends at most `maximumCount` bytes that `body` writes between the two pointers it gets (room of exactly
    /// `maximumCount` bytes, not initialized); `body` returns how many it wrote from the first pointer on, or nil
    /// when they did not fit, and then nothing is appended. Returns whether the bytes were appended.
    ///
    /// For encoders that write through a pointer: the room is a stack buffer (a heap one when large), copied
    /// into the bytes once, so that appending costs one capacity check, not one per value.
    mutating func append(
        maximumCount: Int, _ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int?
    ) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: maximumCount, alignment: 8) { room in
            guard let start = room.baseAddress, let written = body(start, start + room.count) else { return false }
            precondition(written >= 0 && written <= room.count, "encoder wrote past its room")
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: start, count: written))
            return true
        }
    }

    /// Overwrites a little-endian integer at `offset` (e.g. a length known only after the body is written).
    mutating func set<T: FixedWidthInteger>(littleEndian value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}
