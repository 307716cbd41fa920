/// Everything that can go wrong opening, writing or reading a log, with where it happened.
public enum LogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Another writer holds the directory's lock.
    case locked(directory: String)
    /// A system call failed.
    case io(SystemError)
    /// A batch failed its checks; `segment` is the file name and `offset` the batch's byte offset in it.
    case corruptBatch(segment: String, offset: Int64, reason: String)
    /// A segment file's header or name is not valid.
    case corruptSegment(segment: String, reason: String)
    /// Sequence numbers do not continue from one segment to the next.
    case sequenceGap(segment: String, expected: UInt64, found: UInt64)
    /// The writer stopped after a failure it must not retry (a failed fsync or write); reopen the log.
    case writerStopped(cause: String)
    /// A single record is larger than a batch may be.
    case recordTooLarge(size: Int, limit: Int)
    /// The writer was closed.
    case closed
    /// An argument is out of range (e.g. a sequence number that does not exist yet).
    case invalidArgument(String)
    /// Damaged data may hide records an answer needs: each region names its segment file, offset and the sequence
    /// numbers it puts in doubt. Queries throw it unless asked to answer with what is readable.
    case damaged([DamagedRegion])

    public var description: String {
        switch self {
        case .locked(let directory):
            "log \(directory) is locked by another writer (one writer per directory; readers need no lock)"
        case .io(let error): "I/O error: \(error)"
        case .corruptBatch(let segment, let offset, let reason):
            "corrupt batch in \(segment) at offset \(offset): \(reason)"
        case .corruptSegment(let segment, let reason): "corrupt segment \(segment): \(reason)"
        case .sequenceGap(let segment, let expected, let found):
            "sequence gap at \(segment): expected seq \(expected), found \(found)"
        case .writerStopped(let cause): "writer stopped: \(cause)"
        case .recordTooLarge(let size, let limit): "record of \(size) bytes exceeds the limit of \(limit) bytes"
        case .closed: "the log is closed"
        case .invalidArgument(let message): message
        case .damaged(let regions):
            "damaged data may hide part of the answer: " + regions.map(\.description).joined(separator: "; ")
        }
    }
}

extension Result where Failure == SystemError {
    /// Maps a system error into ``LogError/io(_:)``.
    func orLogError() throws(LogError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw .io(error)
        }
    }
}

/// Runs a throwing system-call block and wraps its error in ``LogError/io(_:)``.
func withIOErrors<T>(_ body: () throws(SystemError) -> T) throws(LogError) -> T {
    do {
        return try body()
    } catch {
        throw .io(error)
    }
}
