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

    /// Maps `file` entirely. An empty file gives an empty region (mmap of 0 bytes is an error).
    convenience init(file: OpenFile) throws(SystemError) {
        try self.init(file: file, length: Int(try file.size()))
    }

    /// Maps the first `length` bytes of `file`, which must exist (the caller read the size). For a segment
    /// that is still growing this is the prefix scanned so far; its bytes never change once written (see
    /// ``ReaderSegment``).
    init(file: OpenFile, length: Int) throws(SystemError) {
        count = length
        base = length == 0 ? nil : try file.io.mmapReadOnly(file.descriptor, file.path, length: length)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the mapped bytes.
    func withBytes<T, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> T) throws(Failure) -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
