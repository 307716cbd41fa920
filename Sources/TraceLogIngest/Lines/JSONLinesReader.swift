import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads newline-separated lines from a file descriptor (a file or a pipe such as stdin) in large chunks.
///
/// - Lines end with `\n` or `\r\n`; the last line may lack its terminator. A UTF-8 byte-order mark at the
///   start of the input is dropped.
/// - Blank lines (nothing but spaces, tabs and carriage returns) are skipped but counted, so line numbers
///   always match the input.
/// - A line longer than ``maximumLineLength`` is reported as ``JSONLinesError/lineTooLong(line:limit:)``
///   as soon as it is known to be too long; the rest of it is read and dropped chunk by chunk, never
///   buffered, and the next call goes on with the following line.
///
/// Memory: one buffer of about two chunks, growing only to hold a line longer than that — never beyond
/// ``maximumLineLength`` plus one chunk. Lines are views into it (see ``JSONLine``).
///
/// The reader does not own the descriptor: the caller opens and closes it. Not `Sendable`: the lines it
/// hands out are views into its buffer, so one reader belongs to one task.
public struct JSONLinesReader: ~Copyable {
    /// The descriptor read from.
    public let fileDescriptor: Int32
    /// The name used in read errors (a path, or `fd N`).
    public let name: String
    /// How many bytes one `read(2)` asks for.
    public let chunkSize: Int
    /// The longest accepted line in bytes, terminator excluded.
    public let maximumLineLength: Int
    /// The default ``maximumLineLength``: 16 MiB. The whole-document importers hold each element to it as well.
    public static let defaultMaximumLineLength = 16 << 20

    private let buffer: LineReadBuffer
    /// Unconsumed bytes are `start..<end`; no newline lies in `start..<searchFrom`.
    private var start = 0
    private var end = 0
    private var searchFrom = 0
    /// The number of the last line handed out, skipped or reported.
    private var lastLineNumber = 0
    /// Bytes read from the descriptor so far.
    public private(set) var bytesRead = 0
    private var reachedEndOfInput = false
    private var isDroppingLongLine = false

    /// Creates a reader of `fileDescriptor`.
    ///
    /// - Parameters:
    ///   - name: how read errors name the input; defaults to `fd N`.
    ///   - chunkSize: bytes per `read(2)`, 1 MiB by default.
    ///   - maximumLineLength: the longest accepted line, 16 MiB by default.
    public init(
        fileDescriptor: Int32, name: String? = nil, chunkSize: Int = 1 << 20,
        maximumLineLength: Int = JSONLinesReader.defaultMaximumLineLength
    ) {
        precondition(chunkSize > 0 && maximumLineLength > 0, "chunk size and line limit must be positive")
        self.fileDescriptor = fileDescriptor
        self.name = name ?? "fd \(fileDescriptor)"
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
        buffer = LineReadBuffer(capacity: 2 * chunkSize)
    }

    /// The number of the last line handed out, skipped as blank, or reported as too long.
    public var lineNumber: Int { lastLineNumber }

    /// The buffer's current size, for tests of the memory bound.
    var bufferCapacity: Int { buffer.capacity }

    /// Returns the next non-blank line, or nil at the end of the input.
    ///
    /// - Throws: ``JSONLinesError/lineTooLong(line:limit:)`` for an over-long line (call again to go on
    ///   with the next one), ``JSONLinesError/readFailed(_:)`` when `read(2)` fails.
    /// - Complexity: amortized O(line length); `memchr` finds the newlines.
    public mutating func nextLine() throws(JSONLinesError) -> JSONLine? {
        while true {
            if isDroppingLongLine {
                if let newline = newline(from: start) {
                    start = newline + 1
                    searchFrom = start
                    isDroppingLongLine = false
                } else {
                    start = end
                    searchFrom = end
                    if reachedEndOfInput {
                        isDroppingLongLine = false
                        return nil
                    }
                    try fill()
                    continue
                }
            }
            if let newline = newline(from: searchFrom) {
                let range = start..<newline
                start = newline + 1
                searchFrom = start
                if let line = try line(range) { return line }
                continue
            }
            searchFrom = end
            if reachedEndOfInput {
                guard start < end else { return nil }
                let range = start..<end
                start = end
                if let line = try line(range) { return line }
                continue
            }
            // One more byte than the limit may be a `\r` of the terminator.
            if end - start > maximumLineLength + 1 {
                lastLineNumber += 1
                start = end
                searchFrom = end
                isDroppingLongLine = true
                throw .lineTooLong(line: lastLineNumber, limit: maximumLineLength)
            }
            try fill()
        }
    }

    /// Numbers a complete line and trims it; nil if it is blank.
    private mutating func line(_ range: Range<Int>) throws(JSONLinesError) -> JSONLine? {
        lastLineNumber += 1
        let bytes = buffer.bytes(range)
        var lower = range.lowerBound
        var upper = range.upperBound
        if upper > lower, bytes[bytes.count - 1] == UInt8(ascii: "\r") { upper -= 1 }
        if lastLineNumber == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            lower += 3
        }
        guard upper - lower <= maximumLineLength else {
            throw .lineTooLong(line: lastLineNumber, limit: maximumLineLength)
        }
        let isBlank = buffer.bytes(lower..<upper).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        return isBlank ? nil : JSONLine(number: lastLineNumber, buffer: buffer, range: lower..<upper)
    }

    /// The offset of the first `\n` in `from..<end`, or nil.
    private func newline(from offset: Int) -> Int? {
        guard offset < end else { return nil }
        let found = memchr(buffer.base + offset, 0x0A, end - offset)
        return found.map { buffer.base.distance(to: $0) }
    }

    /// Reads the next chunk after `end`, first making room for it: moving the unconsumed bytes to the front,
    /// then, if a long line fills the buffer, growing it (never beyond the line limit plus one chunk).
    private mutating func fill() throws(JSONLinesError) {
        if buffer.capacity - end < chunkSize {
            buffer.moveToFront(start..<end)
            (end, searchFrom, start) = (end - start, searchFrom - start, 0)
            if buffer.capacity - end < chunkSize {
                let ceiling = maximumLineLength + 1 + chunkSize
                let grown = max(min(2 * buffer.capacity, ceiling), end + chunkSize)
                buffer.reallocate(to: grown, keeping: 0..<end)
            }
        }
        let space = buffer.space(after: end)
        while true {
            let count = read(fileDescriptor, space.baseAddress, space.count)
            if count > 0 {
                end += count
                bytesRead += count
                return
            }
            if count == 0 {
                reachedEndOfInput = true
                return
            }
            if errno != EINTR {
                throw .readFailed(SystemError(operation: "read", path: name, errno: errno))
            }
        }
    }
}
