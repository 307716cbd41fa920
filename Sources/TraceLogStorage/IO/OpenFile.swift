#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor that is closed when the object goes away.
///
/// Every operation goes through the ``FileIO`` seam it was opened with. Safe to share between threads:
/// the descriptor never changes, and positioned reads and writes carry their own offsets.
final class OpenFile: Sendable {
    /// The descriptor.
    let descriptor: Int32
    /// The path it was opened with (for errors).
    let path: String
    /// The seam it calls through.
    let io: FileIO

    init(descriptor: Int32, path: String, io: FileIO) {
        self.descriptor = descriptor
        self.path = path
        self.io = io
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Starts reading `length` bytes at `offset` in, without waiting (see ``FileIO/adviseWillNeed(_:offset:length:)``).
    func prefetch(offset: Int64, length: Int64) { io.adviseWillNeed(descriptor, offset: offset, length: length) }

    /// Writes all bytes at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError) {
        try io.pwriteAll(descriptor, path, bytes, at: offset)
    }

    /// Writes all of an array's bytes at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(SystemError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(SystemError) in try io.pwriteAll(descriptor, path, raw, at: offset) }
        }
        try result.get()
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        try io.pread(descriptor, path, into: buffer, at: offset)
    }

    /// Reads exactly `count` bytes at `offset`, or fewer at end of file.
    func read(count: Int, at offset: Int64) throws(SystemError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemError) in try io.pread(descriptor, path, into: buffer, at: offset) }
        }
        let got = try result.get()
        if got < count { bytes.removeLast(count - got) }
        return bytes
    }

    /// The file's current length.
    func size() throws(SystemError) -> Int64 { try io.size(descriptor, path) }

    /// `fdatasync`.
    func syncData() throws(SystemError) { try io.fdatasync(descriptor, path) }

    /// `fsync`.
    func syncAll() throws(SystemError) { try io.fsync(descriptor, path) }

    /// Sets the length.
    func truncate(to length: Int64) throws(SystemError) { try io.ftruncate(descriptor, path, length: length) }

    /// Reserves blocks without changing the length.
    func reserve(offset: Int64, length: Int64) throws(SystemError) {
        try io.fallocate(descriptor, path, offset: offset, length: length)
    }
}
