import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory mapping of a file (or of its first bytes), unmapped when the object goes away.
///
/// Invariant: `base` points to `count` readable bytes for the object's whole lifetime; the bytes behind it are
/// immutable (sealed index files are never rewritten in place — a rebuild writes a new file and renames it
/// over, which leaves this mapping on the old inode; segment bytes are append-only, and a writer's recovery
/// only cuts a torn tail that no reader has accepted as a batch). Bytes are only reached through ``withBytes(_:)``, so no
/// pointer outlives the mapping.
final class MappedRegion: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    let count: Int
    private let io: FileIO
    /// One bit per ``prefetchChunk`` bytes already asked for with ``prefetch(_:)``.
    private let prefetched: AtomicBits

    /// The granularity of ``prefetch(_:)``: a page for random access (index lookups read 2–3 KiB blocks, and
    /// 64 KiB chunks read a megabyte per cold query for nothing), 64 KiB otherwise.
    let prefetchChunk: Int

    /// Maps `file` entirely. An empty file gives an empty region (mmap of 0 bytes is an error).
    convenience init(file: OpenFile, randomAccess: Bool = false) throws(SystemError) {
        try self.init(file: file, length: Int(try file.size()), randomAccess: randomAccess)
    }

    /// Maps the first `length` bytes of `file`, which must exist (the caller read the size). For a segment
    /// that is still growing this is the prefix scanned so far; its bytes never change once written (see
    /// ``ReaderSegment``).
    ///
    /// With `randomAccess`, the kernel reads only the page a fault needs instead of megabytes around it: the
    /// caller then reads ahead itself with ``prefetch(_:)`` where it knows what it will read.
    init(file: OpenFile, length: Int, randomAccess: Bool = false) throws(SystemError) {
        count = length
        io = file.io
        base = length == 0 ? nil : try file.io.mmapReadOnly(file.descriptor, file.path, length: length)
        if randomAccess, let base { io.advise(base, length: length, .random) }
        prefetchChunk = randomAccess ? 1 << 12 : 1 << 16
        let chunks = (length + prefetchChunk - 1) / prefetchChunk
        prefetched = AtomicBits(count: chunks)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the mapped bytes.
    func withBytes<T, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> T) throws(Failure) -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Asks the kernel to start reading `range` (clamped to the region) in one request, unless an earlier call
    /// asked for it: each chunk is asked for once per mapping, so repeated reads of cached bytes make no
    /// system call. One request instead of a fault per page is what makes a cold read of a batch one I/O.
    func prefetch(_ range: Range<Int>) {
        guard let base, !range.isEmpty, range.lowerBound < count else { return }
        let first = range.lowerBound / prefetchChunk
        let last = (min(range.upperBound, count) - 1) / prefetchChunk
        var low: Int?
        var high = first
        for chunk in first...last where !prefetched.contains(chunk) && prefetched.insert(chunk) {
            low = low ?? chunk
            high = chunk
        }
        guard let wanted = low.map({ $0..<high + 1 }) else { return }
        let start = wanted.lowerBound * prefetchChunk
        let end = min(count, wanted.upperBound * prefetchChunk)
        io.advise(base + start, length: end - start, .willNeed)
    }
}
