/// The one block of memory a ``JSONLinesReader`` reads into and hands out lines from.
///
/// Invariant: `base` points to `capacity` allocated bytes, owned by this object and freed in `deinit`.
/// Bytes never move without `generation` changing, so a ``JSONLine`` (which keeps this object alive and
/// remembers the generation it was made in) can tell whether its bytes are still where it left them.
final class LineReadBuffer {
    /// The start of the block.
    private(set) var base: UnsafeMutableRawPointer
    /// The block's size in bytes.
    private(set) var capacity: Int
    /// Changes whenever bytes are moved or the block is replaced.
    private(set) var generation: UInt64 = 0

    /// Allocates `capacity` bytes.
    init(capacity: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.capacity = capacity
    }

    deinit {
        base.deallocate()
    }

    /// The bytes in `range`, which must lie within the block.
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// The free space after `end`, to read into.
    func space(after end: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base + end, count: capacity - end)
    }

    /// Moves the bytes in `range` to the start of the block.
    func moveToFront(_ range: Range<Int>) {
        if range.lowerBound > 0, !range.isEmpty {
            base.copyMemory(from: base + range.lowerBound, byteCount: range.count)
        }
        generation &+= 1
    }

    /// Replaces the block with one of `newCapacity` bytes holding the bytes in `range` at its start.
    func reallocate(to newCapacity: Int, keeping range: Range<Int>) {
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base + range.lowerBound, byteCount: range.count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
        generation &+= 1
    }
}
