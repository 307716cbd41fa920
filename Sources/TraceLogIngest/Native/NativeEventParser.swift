/// Parses lines of the native event format (see <doc:NativeEventFormat>) into ``NativeEvent``s.
///
/// Strict by design: unknown keys, duplicate keys, wrong value types, unknown enum values and invalid JSON
/// or UTF-8 are all rejected with a ``NativeEventError`` naming the line, the field and the reason, so that a
/// typo never silently drops data. `null` is the same as an absent key.
///
/// Cost: one pass over the line's bytes with no intermediate JSON tree; it allocates only the event's own
/// strings (none for strings of up to 15 UTF-8 bytes) and the raw JSON values it keeps.
public struct NativeEventParser: Sendable {
    /// The default ``maximumDepth``: 64 levels, the line's object included. Every other input path (the importers,
    /// webhooks) keeps what it stores within this depth, so that whatever is stored can be replayed as native lines.
    public static let defaultMaximumDepth = 64

    /// The deepest nesting accepted in a line, counting the line's object as level 1 (so a payload object
    /// is level 2). Deeper lines are rejected with `nesting deeper than N levels`.
    public var maximumDepth: Int

    /// Creates a parser.
    public init(maximumDepth: Int = NativeEventParser.defaultMaximumDepth) {
        precondition(maximumDepth >= 2, "a native event needs at least two levels (the line and its objects)")
        self.maximumDepth = maximumDepth
    }

    /// Parses one line (without its line terminator; surrounding whitespace is allowed).
    ///
    /// - Parameters:
    ///   - line: the line's UTF-8 bytes, borrowed for the duration of the call.
    ///   - lineNumber: the 1-based line number that errors report.
    public func parse(line: UnsafeRawBufferPointer, lineNumber: Int) throws(NativeEventError) -> NativeEvent {
        var parser = NativeLineParser(bytes: line, lineNumber: lineNumber, maximumDepth: maximumDepth)
        return try parser.parseEvent()
    }

    /// Parses one line held in any collection of bytes, e.g. `[UInt8]`, `ArraySlice<UInt8>` or `String.UTF8View`.
    ///
    /// Contiguous collections are read in place; others are copied into an array first.
    public func parse(line: some Collection<UInt8>, lineNumber: Int) throws(NativeEventError) -> NativeEvent {
        let inPlace = line.withContiguousStorageIfAvailable { bytes in
            result(of: UnsafeRawBufferPointer(bytes), lineNumber: lineNumber)
        }
        if let inPlace { return try inPlace.get() }
        return try Array(line).withUnsafeBytes { result(of: $0, lineNumber: lineNumber) }.get()
    }

    /// Parses one line handed out by a ``JSONLinesReader``, reporting its line number.
    public func parse(_ line: JSONLine) throws(NativeEventError) -> NativeEvent {
        let outcome = line.withUnsafeBytes { result(of: $0, lineNumber: line.number) }
        // Taken apart rather than `get()`, which would copy the event (a retain and release per string).
        switch consume outcome {
        case .success(let event): return event
        case .failure(let error): throw error
        }
    }

    /// ``parse(line:lineNumber:)`` as a `Result`, for closures that cannot throw a typed error.
    private func result(of line: UnsafeRawBufferPointer, lineNumber: Int) -> Result<NativeEvent, NativeEventError> {
        Result { () throws(NativeEventError) in try parse(line: line, lineNumber: lineNumber) }
    }
}
