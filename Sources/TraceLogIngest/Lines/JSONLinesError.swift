public import TraceLogStorage

/// Why a ``JSONLinesReader`` could not hand out a line.
public enum JSONLinesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Line `line` is longer than `limit` bytes (terminator excluded). The reader drops it without buffering
    /// the rest of it and goes on with the next line.
    case lineTooLong(line: Int, limit: Int)
    /// `read(2)` failed; calling ``JSONLinesReader/nextLine()`` again retries the read.
    case readFailed(SystemError)

    /// `line 9: longer than the limit of 16777216 bytes`, or the failed read.
    public var description: String {
        switch self {
        case .lineTooLong(let line, let limit): "line \(line): longer than the limit of \(limit) bytes"
        case .readFailed(let error): error.description
        }
    }
}
