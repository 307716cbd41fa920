/// One non-blank line from a ``JSONLinesReader``: its 1-based number and a view of its bytes, without the
/// line terminator.
///
/// The bytes are not copied out of the reader's buffer: they stay valid until the reader's next call to
/// ``JSONLinesReader/nextLine()``. Use ``bytes`` to keep a copy. Using a line whose bytes have since been
/// moved stops the program with a clear message rather than reading the wrong bytes.
///
/// Not `Sendable`: it is a view into a reader's buffer.
public struct JSONLine {
    /// The 1-based line number in the input (blank lines count).
    public let number: Int
    private let buffer: LineReadBuffer
    private let range: Range<Int>
    private let generation: UInt64

    init(number: Int, buffer: LineReadBuffer, range: Range<Int>) {
        self.number = number
        self.buffer = buffer
        self.range = range
        generation = buffer.generation
    }

    /// The line's length in bytes.
    public var count: Int { range.count }

    /// Calls `body` with the line's bytes, which must not escape it.
    ///
    /// - Precondition: the reader has not moved its buffer since handing out this line.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(
            buffer.generation == generation,
            "JSONLine \(number) used after its reader moved on; copy its `bytes` to keep them")
        return try body(buffer.bytes(range))
    }

    /// A copy of the line's bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
