internal import CPlatform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single seam through which the storage layer makes system calls.
///
/// Every call first asks the optional ``FaultInjector`` (tests use it to inject `EIO`, `ENOSPC` and short
/// writes), then calls the kernel, retrying only `EINTR`. Nothing else in the storage layer calls
/// `open`, `pwrite`, `fdatasync`, `rename`, `mmap` and friends directly.
struct FileIO: Sendable {
    /// The fault plan, or nil in production.
    var faults: FaultInjector?

    /// Creates a seam; pass a fault plan only in tests.
    init(faults: FaultInjector? = nil) {
        self.faults = faults
    }

    private func injected(_ operation: FaultInjector.Operation, _ path: String) -> FaultInjector.Fault? {
        faults?.check(operation, path: path)
    }

    private func failure(_ operation: FaultInjector.Operation, _ path: String, _ fault: FaultInjector.Fault)
        -> SystemError
    {
        switch fault {
        case .error(let code): SystemError(operation: operation.rawValue, path: path, errno: code, injected: true)
        case .shortWrite: SystemError(operation: operation.rawValue, path: path, errno: ENOSPC, injected: true)
        }
    }

    /// Opens (and with `O_CREAT`, creates) a file.
    func open(_ path: String, flags: Int32, mode: UInt32 = 0o644) throws(SystemError) -> OpenFile {
        if let fault = injected(.open, path) { throw failure(.open, path, fault) }
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return OpenFile(descriptor: fd, path: path, io: self) }
            if errno != EINTR { throw SystemError(operation: "open", path: path, errno: errno) }
        }
    }

    /// Writes all of `buffer` at `offset`; a short write of the kernel is continued, an error thrown.
    func pwriteAll(_ fd: Int32, _ path: String, _ buffer: UnsafeRawBufferPointer, at offset: Int64)
        throws(SystemError)
    {
        var remaining = buffer
        var position = offset
        if let fault = injected(.write, path) {
            if case .shortWrite(let count) = fault, count > 0, let base = buffer.baseAddress {
                _ = Glibc.pwrite(fd, base, min(count, buffer.count), off_t(offset))
            }
            throw failure(.write, path, fault)
        }
        while !remaining.isEmpty {
            let written = Glibc.pwrite(fd, remaining.baseAddress, remaining.count, off_t(position))
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "pwrite", path: path, errno: errno)
            }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
            position += Int64(written)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at end of file).
    func pread(_ fd: Int32, _ path: String, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64)
        throws(SystemError) -> Int
    {
        if let fault = injected(.read, path) { throw failure(.read, path, fault) }
        var total = 0
        while total < buffer.count {
            let count = Glibc.pread(fd, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "pread", path: path, errno: errno)
            }
            if count == 0 { break }
            total += count
        }
        return total
    }

    /// Flushes a file's data (and the metadata needed to read it back) to stable storage.
    func fdatasync(_ fd: Int32, _ path: String) throws(SystemError) {
        if let fault = injected(.fdatasync, path) { throw failure(.fdatasync, path, fault) }
        while Glibc.fdatasync(fd) != 0 {
            if errno != EINTR { throw SystemError(operation: "fdatasync", path: path, errno: errno) }
        }
    }

    /// Flushes a file or directory, metadata included (used for directories after create, rename, unlink).
    func fsync(_ fd: Int32, _ path: String) throws(SystemError) {
        if let fault = injected(.fsync, path) { throw failure(.fsync, path, fault) }
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw SystemError(operation: "fsync", path: path, errno: errno) }
        }
    }

    /// Sets a file's length.
    func ftruncate(_ fd: Int32, _ path: String, length: Int64) throws(SystemError) {
        if let fault = injected(.ftruncate, path) { throw failure(.ftruncate, path, fault) }
        while Glibc.ftruncate(fd, off_t(length)) != 0 {
            if errno != EINTR { throw SystemError(operation: "ftruncate", path: path, errno: errno) }
        }
    }

    /// Reserves disk blocks so later writes cannot fail with `ENOSPC`; a file system without support is fine.
    func fallocate(_ fd: Int32, _ path: String, offset: Int64, length: Int64) throws(SystemError) {
        if let fault = injected(.fallocate, path) { throw failure(.fallocate, path, fault) }
        #if os(Linux)
            let result = tracelog_fallocate_keep_size(fd, offset, length)
            if result != 0 && errno != EOPNOTSUPP && errno != ENOSYS && errno != EINTR {
                throw SystemError(operation: "fallocate", path: path, errno: errno)
            }
        #endif
    }

    /// The file's current length.
    func size(_ fd: Int32, _ path: String) throws(SystemError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError(operation: "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    /// Takes an exclusive, non-blocking `flock`; throws `EWOULDBLOCK` when another process holds it.
    func lockExclusive(_ fd: Int32, _ path: String) throws(SystemError) {
        if let fault = injected(.lock, path) { throw failure(.lock, path, fault) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EINTR { throw SystemError(operation: "flock", path: path, errno: errno) }
        }
    }

    /// Releases a `flock`.
    func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    /// Atomically renames a file within one directory.
    func rename(_ from: String, to: String) throws(SystemError) {
        if let fault = injected(.rename, from) { throw failure(.rename, from, fault) }
        guard Glibc.rename(from, to) == 0 else { throw SystemError(operation: "rename", path: from, errno: errno) }
    }

    /// Removes a file; a file that is already gone is not an error.
    func unlink(_ path: String) throws(SystemError) {
        if let fault = injected(.unlink, path) { throw failure(.unlink, path, fault) }
        guard Glibc.unlink(path) == 0 || errno == ENOENT else {
            throw SystemError(operation: "unlink", path: path, errno: errno)
        }
    }

    /// Maps `length` bytes of a file read-only; see ``MappedRegion``.
    func mmapReadOnly(_ fd: Int32, _ path: String, length: Int) throws(SystemError) -> UnsafeRawPointer {
        if let fault = injected(.mmap, path) { throw failure(.mmap, path, fault) }
        guard let pointer = Glibc.mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), pointer != MAP_FAILED else {
            throw SystemError(operation: "mmap", path: path, errno: errno)
        }
        return UnsafeRawPointer(pointer)
    }

    /// Advises the kernel on a mapping (`madvise`): `random` stops it reading around each page fault (on these
    /// machines, 8 MiB per fault), `willNeed` starts reading a range in. Advice only: the kernel may ignore it,
    /// and a failure changes no result, so it is not reported.
    func advise(_ pointer: UnsafeRawPointer, length: Int, _ advice: MappingAdvice) {
        let code =
            switch advice {
            case .random: MADV_RANDOM
            case .willNeed: MADV_WILLNEED
            }
        _ = Glibc.madvise(UnsafeMutableRawPointer(mutating: pointer), length, code)
    }

    enum MappingAdvice {
        case random, willNeed
    }

    /// Starts reading `length` bytes of a file at `offset` into the page cache without waiting
    /// (`posix_fadvise(WILLNEED)`), so that reads of several files wait for one round, not one each. Advice
    /// only, like ``advise(_:length:_:)``: a failure is not reported.
    func adviseWillNeed(_ fd: Int32, offset: Int64, length: Int64) {
        _ = posix_fadvise(fd, off_t(offset), off_t(length), POSIX_FADV_WILLNEED)
    }

    /// Creates a directory (and its parents) if missing.
    func createDirectory(_ path: String) throws(SystemError) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            prefix += prefix.isEmpty && path.hasPrefix("/") ? "/" + component : (prefix.isEmpty ? "" : "/") + component
            if prefix.isEmpty || prefix == "/" { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SystemError(operation: "mkdir", path: prefix, errno: errno)
            }
        }
    }

    /// The names in a directory (without `.` and `..`).
    func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw SystemError(operation: "opendir", path: path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Flushes a directory's entries (after creating, renaming or removing a file in it).
    func syncDirectory(_ path: String) throws(SystemError) {
        let directory = try open(path, flags: O_RDONLY | O_DIRECTORY)
        try fsync(directory.descriptor, path)
    }
}

extension SystemCalls {
    /// Wall-clock time in microseconds since the epoch.
    static func realtimeMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }

    /// Monotonic time in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

/// Clock reads that need no fault injection.
enum SystemCalls {}
