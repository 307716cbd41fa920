/// A forward-only cursor over one JSON text in memory: the ingest hot path's only view of the bytes.
///
/// The scanner validates as it goes (RFC 8259 grammar, UTF-8, escapes, nesting depth) and hands out byte
/// ranges rather than decoded values, so a caller pays for a `String` only for the fields it keeps, and can
/// keep a nested value as its exact input bytes.
///
/// Memory: the scanner borrows its bytes (through ``JSONText``) and is used only inside the `withUnsafeBytes`
/// scope that created it. Invariant: `0 <= position <= bytes.count`, and every `bytes[i]` read is guarded by
/// `i < bytes.count`.
struct JSONScanner {
    /// The JSON text (UTF-8), borrowed for the scanner's lifetime.
    let bytes: JSONText
    /// The offset of the next byte to read.
    var position = 0
    /// How many objects and arrays enclose the cursor.
    var depth = 0
    /// The deepest nesting accepted; the top-level object or array counts as level 1.
    let maximumDepth: Int

    /// Creates a scanner at the start of `bytes`.
    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int = 64) {
        self.bytes = JSONText(bytes)
        self.maximumDepth = maximumDepth
    }

    /// The byte at the cursor, or 0 at the end: 0 is invalid everywhere in JSON, so it always leads to an error.
    @inline(__always)
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    /// The byte at the cursor for an error message: nil at the end.
    var found: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The bytes in `range` (which must lie within the text).
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        bytes.slice(range)
    }

    /// An error at `offset` (default: the cursor).
    func error(_ reason: JSONError.Reason, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? position, reason: reason)
    }

    /// Skips spaces, tabs, line feeds and carriage returns.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Fails unless only whitespace is left.
    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if position < bytes.count { throw error(.trailingCharacters(found: bytes[position])) }
    }

    // MARK: Containers

    /// Consumes the `{` or `[` at the cursor and enters one nesting level.
    @inline(__always)
    mutating func enterContainer() throws(JSONError) {
        guard depth < maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        depth += 1
        position += 1
    }

    /// Moves to the next member of the object whose `{` has been consumed by ``enterContainer()``.
    ///
    /// Returns the member's key with the cursor on the first byte of its value (the caller must consume the
    /// value before calling again), or nil after consuming the closing `}`. `isFirst` must start out true.
    mutating func nextKey(isFirst: inout Bool) throws(JSONError) -> JSONStringToken? {
        guard try nextKeyStart(isFirst: &isFirst) else { return nil }
        let key = try scanString()
        try finishKey()
        return key
    }

    /// The first half of ``nextKey(isFirst:)``: moves past the separator to the opening quote of the next key and
    /// returns true, or consumes the closing `}` and returns false. A caller that recognizes the key itself moves
    /// past it and calls ``finishKey()``; any other calls ``scanString()`` first.
    @inline(__always)
    mutating func nextKeyStart(isFirst: inout Bool) throws(JSONError) -> Bool {
        skipWhitespace()
        let byte = current
        if byte == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return false
        }
        if isFirst {
            isFirst = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw error(.expectedCommaOrObjectEnd(found: found)) }
            position += 1
            skipWhitespace()
        }
        guard current == UInt8(ascii: "\"") else { throw error(.expectedKey(found: found)) }
        return true
    }

    /// The second half of ``nextKey(isFirst:)``, with the cursor just past the key's closing quote: consumes the
    /// colon and the whitespace around it, leaving the cursor on the value.
    @inline(__always)
    mutating func finishKey() throws(JSONError) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw error(.expectedColon(found: found)) }
        position += 1
        skipWhitespace()
    }

    // MARK: Literals

    /// The three JSON literals.
    enum Literal: Hashable {
        case `true`, `false`, null
    }

    /// Consumes `true`, `false` or `null` at the cursor.
    mutating func scanLiteral() throws(JSONError) -> Literal {
        let start = position
        let (literal, text): (Literal, StaticString) =
            switch current {
            case UInt8(ascii: "t"): (.true, "true")
            case UInt8(ascii: "f"): (.false, "false")
            case UInt8(ascii: "n"): (.null, "null")
            default: throw error(.expectedValue(found: found))
            }
        let count = text.utf8CodeUnitCount
        guard bytes.count - start >= count else { throw error(.invalidLiteral, at: start) }
        for index in 0..<count where bytes[start + index] != text.utf8Start[index] {
            throw error(.invalidLiteral, at: start)
        }
        position = start + count
        return literal
    }
}
