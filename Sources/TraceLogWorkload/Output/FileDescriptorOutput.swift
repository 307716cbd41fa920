#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed `write(2)` while streaming workload lines.
public struct WorkloadOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file descriptor written to.
    public var fileDescriptor: Int32
    /// The `errno` value `write(2)` reported.
    public var errorNumber: Int32

    /// `write to file descriptor 1 failed: Broken pipe (errno 32)`.
    public var description: String {
        let reason = String(cString: strerror(errorNumber))
        return "write to file descriptor \(fileDescriptor) failed: \(reason) (errno \(errorNumber))"
    }
}

/// The one place the generator calls `write(2)`.
enum FileDescriptorOutput {
    /// Writes all of `bytes`, continuing after partial writes and retrying on `EINTR`.
    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fileDescriptor: Int32) throws(WorkloadOutputError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw WorkloadOutputError(fileDescriptor: fileDescriptor, errorNumber: errno)
            }
            offset += written
        }
    }
}
