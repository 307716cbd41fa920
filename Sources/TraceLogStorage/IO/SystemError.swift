#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call: which operation, on which path, and the `errno` it returned.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation, e.g. `pwrite`, `fdatasync`, `rename`.
    public var operation: String
    /// The file or directory involved.
    public var path: String
    /// The `errno` value.
    public var errno: Int32
    /// Whether the failure was injected by a test's fault plan rather than returned by the kernel.
    public var injected: Bool

    /// Creates an error.
    public init(operation: String, path: String, errno: Int32, injected: Bool = false) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.injected = injected
    }

    /// e.g. `fdatasync 00000000000000000000.tlseg: Input/output error (errno 5)`.
    public var description: String {
        let reason = String(cString: strerror(errno))
        return "\(operation) \(path): \(reason) (errno \(errno))\(injected ? " [injected]" : "")"
    }
}
