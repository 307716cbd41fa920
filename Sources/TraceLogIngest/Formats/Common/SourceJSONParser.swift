/// A strict RFC 8259 parser producing ``SourceJSON`` trees with source ranges.
///
/// Invariant: `0 <= position <= bytes.count`; every read checks `position < bytes.count` first.
package struct SourceJSONParser {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int
    private var depth = 0
    private let maximumDepth: Int
    /// The deepest level whose objects and arrays keep their members (1: the outermost value's). Deeper ones, and
    /// the strings and numbers in them, are parsed and checked the same way but come back empty, with their
    /// range: for values kept as raw text.
    private var buildDepth = Int.max

    /// Parses exactly one JSON value filling `range` of `bytes` (surrounding whitespace allowed).
    package static func parse(_ bytes: [UInt8], range: Range<Int>? = nil, maximumDepth: Int = 256)
        throws(SourceJSONError) -> SourceJSON
    {
        var parser = SourceJSONParser(bytes: bytes, range: range ?? 0..<bytes.count, maximumDepth: maximumDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < parser.end { throw parser.error("unexpected \(parser.describeCurrent) after the value") }
        return value
    }

    /// Parses a document that is a JSON array one element at a time: each element's tree is handed to `body`
    /// and dropped before the next is parsed, so a document of a million elements never holds a million trees.
    ///
    /// Returns false, having called `body` for nothing, when the document is not an array (``parse(_:range:maximumDepth:)``
    /// then says what it is). Otherwise every byte is checked exactly as ``parse(_:range:maximumDepth:)`` checks it, with
    /// the same errors at the same offsets, and the array counts as the first level of nesting. When `body`
    /// returns false it is not called again, but the rest of the document is still checked, so that invalid JSON
    /// anywhere is reported rather than a problem of an earlier element.
    ///
    /// `buildDepth` is the deepest level whose objects and arrays keep their members (the array is level 1, its
    /// elements level 2): deeper objects and arrays are checked as always but come back empty, with their range,
    /// which is all a caller that keeps them as raw text reads (building the trees of a Stroma attempt's
    /// `input_state` and `output_state` was most of its import).
    package static func forEachElement(
        of bytes: [UInt8], maximumDepth: Int = 256, buildDepth: Int = .max,
        _ body: (_ index: Int, _ element: SourceJSON) -> Bool
    ) throws(SourceJSONError) -> Bool {
        var parser = SourceJSONParser(bytes: bytes, range: 0..<bytes.count, maximumDepth: maximumDepth)
        parser.buildDepth = buildDepth
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "[") else { return false }
        try parser.parseArray(body)
        parser.skipWhitespace()
        if parser.position < parser.end { throw parser.error("unexpected \(parser.describeCurrent) after the value") }
        return true
    }

    private init(bytes: [UInt8], range: Range<Int>, maximumDepth: Int) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.maximumDepth = maximumDepth
    }

    private var current: UInt8? { position < end ? bytes[position] : nil }

    private var describeCurrent: String {
        guard let byte = current else { return "the end of the input" }
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
    }

    private func error(_ reason: String, at offset: Int? = nil) -> SourceJSONError {
        SourceJSONError(offset: offset ?? position, reason: reason)
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func parseValue() throws(SourceJSONError) -> SourceJSON {
        let start = position
        switch current {
        case UInt8(ascii: "{")?: return try parseObject()
        case UInt8(ascii: "[")?: return try parseArray()
        case UInt8(ascii: "\"")?:
            let text = try parseString()
            return SourceJSON(value: .string(text), range: start..<position)
        case UInt8(ascii: "t")?: return try literal("true", .bool(true))
        case UInt8(ascii: "f")?: return try literal("false", .bool(false))
        case UInt8(ascii: "n")?: return try literal("null", .null)
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39):
            try skipNumber()
            let lexeme = depth > buildDepth ? "" : String(decoding: bytes[start..<position], as: UTF8.self)
            return SourceJSON(value: .number(lexeme), range: start..<position)
        default: throw error("expected a value, got \(describeCurrent)")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: SourceJSON.Value) throws(SourceJSONError) -> SourceJSON
    {
        let start = position
        let count = word.utf8CodeUnitCount
        guard position + count <= end,
            bytes[position..<position + count].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw error("invalid literal (expected true, false or null)") }
        position += count
        return SourceJSON(value: value, range: start..<position)
    }

    private mutating func enter() throws(SourceJSONError) {
        depth += 1
        if depth > maximumDepth { throw error("nesting deeper than \(maximumDepth) levels") }
    }

    private mutating func parseObject() throws(SourceJSONError) -> SourceJSON {
        let start = position
        try enter()
        position += 1
        var members: [(key: String, value: SourceJSON)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    throw error("expected a string key, got \(describeCurrent)")
                }
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else {
                    throw error("expected ':' after a key, got \(describeCurrent)")
                }
                position += 1
                skipWhitespace()
                let value = try parseValue()
                if depth <= buildDepth { members.append((key, value)) }
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                guard current == UInt8(ascii: "}") else { throw error("expected ',' or '}', got \(describeCurrent)") }
                position += 1
                break
            }
        }
        depth -= 1
        return SourceJSON(value: .object(members), range: start..<position)
    }

    private mutating func parseArray() throws(SourceJSONError) -> SourceJSON {
        let start = position
        var elements: [SourceJSON] = []
        let build = depth + 1 <= buildDepth  // the array's own level, once entered
        try parseArray { _, element in
            if build { elements.append(element) }
            return true
        }
        return SourceJSON(value: .array(elements), range: start..<position)
    }

    /// Parses the array at the cursor, handing each element to `take` in order; `take` returns false to be
    /// called no more (the elements are still parsed and checked).
    private mutating func parseArray(_ take: (Int, SourceJSON) -> Bool) throws(SourceJSONError) {
        try enter()
        position += 1
        var taking = true
        var index = 0
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                let element = try parseValue()
                if taking { taking = take(index, element) }
                index += 1
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                guard current == UInt8(ascii: "]") else { throw error("expected ',' or ']', got \(describeCurrent)") }
                position += 1
                break
            }
        }
        depth -= 1
    }

    private mutating func skipNumber() throws(SourceJSONError) {
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, first >= 0x30 && first <= 0x39 else { throw error("expected a digit in a number") }
        position += 1
        if first == 0x30, let next = current, next >= 0x30 && next <= 0x39 { throw error("leading zero in a number") }
        skipDigits()
        if current == UInt8(ascii: ".") {
            position += 1
            guard try skipRequiredDigits() else { throw error("expected a digit after '.' in a number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard try skipRequiredDigits() else { throw error("expected a digit in an exponent") }
        }
    }

    private mutating func skipDigits() {
        while let byte = current, byte >= 0x30 && byte <= 0x39 { position += 1 }
    }

    private mutating func skipRequiredDigits() throws(SourceJSONError) -> Bool {
        let start = position
        skipDigits()
        return position > start
    }

    /// Parses a string at the cursor (an opening quote) and decodes its escapes; validates UTF-8. Below the build
    /// depth a string is checked the same way but comes back empty, and one of plain ASCII builds nothing.
    private mutating func parseString() throws(SourceJSONError) -> String {
        let quote = position
        position += 1
        var decoded: [UInt8]?
        var runStart = position
        var isASCII = true
        while true {
            guard let byte = current else { throw error("unterminated string", at: quote) }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            if byte != UInt8(ascii: "\\") {
                isASCII = isASCII && byte < 0x80
                position += 1
                continue
            }
            decoded = (decoded ?? []) + bytes[runStart..<position]
            position += 1
            try decodeEscape(into: &decoded!)
            runStart = position
        }
        if depth > buildDepth && decoded == nil && isASCII {
            position += 1
            return ""
        }
        let text: String?
        if var decoded {
            decoded.append(contentsOf: bytes[runStart..<position])
            text = decoded.withUnsafeBufferPointer(Self.validString)
        } else {
            // No escape (most strings): straight from the input, with no intermediate array.
            text = bytes.withUnsafeBufferPointer {
                Self.validString(UnsafeBufferPointer(rebasing: $0[runStart..<position]))
            }
        }
        position += 1
        guard let text else { throw error("invalid UTF-8 in a string", at: quote) }
        return text
    }

    /// `bytes` as a string if they are valid UTF-8, else nil.
    ///
    /// `String(validating:as:)` is generic and ran unspecialized here: a run-time metadata lookup per string, a
    /// fifth of the Selinon importer's time. `String(decoding:)` is not generic over its input, and it changes
    /// bytes only where they are invalid, so a decoded string that reads back the same bytes was valid.
    private static func validString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        if bytes.allSatisfy({ $0 < 0x80 }) { return text }
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    private mutating func decodeEscape(into decoded: inout [UInt8]) throws(SourceJSONError) {
        guard let byte = current else { throw error("unterminated escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), position + 1 < end, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("lone surrogate in a \\u escape")
                }
                position += 2
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else { throw error("lone surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("lone surrogate in a \\u escape")
            }
            decoded.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default: throw error("invalid escape sequence")
        }
    }

    private mutating func hex4() throws(SourceJSONError) -> UInt16 {
        guard position + 4 <= end else { throw error("invalid \\u escape (expected 4 hex digits)") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt16
            switch byte {
            case 0x30...0x39: digit = UInt16(byte - 0x30)
            case 0x41...0x46: digit = UInt16(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt16(byte - 0x61 + 10)
            default: throw error("invalid \\u escape (expected 4 hex digits)")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}

extension SourceJSONError {
    /// `line L, column C: reason` for an error in `bytes` (1-based line and byte column).
    func located(in bytes: [UInt8]) -> String {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return "line \(line), column \(offset - lineStart + 1): invalid JSON: \(reason)"
    }
}
