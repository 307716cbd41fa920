#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory mapping of a whole file, unmapped when the object goes away.
///
/// Invariant: `base` points to `count` readable bytes for the object's whole lifetime; the file behind it is
/// immutable (sealed index files are never rewritten in place — a rebuild writes a new file and renames it
/// over, which leaves this mapping on the old inode). Bytes are only reached through ``withBytes(_:)``, so no
/// pointer outlives the mapping.
final class MappedRegion: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    let count: Int

    /// Maps `file` entirely. An empty file gives an empty region (mmap of 0 bytes is an error).
    init(file: OpenFile) throws(SystemError) {
        let size = Int(try file.size())
        count = size
        base = size == 0 ? nil : try file.io.mmapReadOnly(file.descriptor, file.path, length: size)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the mapped bytes.
    func withBytes<T, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> T) throws(Failure) -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
