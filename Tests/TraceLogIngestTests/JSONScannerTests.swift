import Testing

@testable import TraceLogIngest

/// Scans `bytes` as one complete JSON text: one value, then only whitespace.
private func scanDocument(_ bytes: [UInt8], maximumDepth: Int = 64) -> Result<Range<Int>, JSONError> {
    bytes.withUnsafeBytes { buffer in
        Result { () throws(JSONError) in
            var scanner = JSONScanner(bytes: buffer, maximumDepth: maximumDepth)
            scanner.skipWhitespace()
            let range = try scanner.skipValue()
            try scanner.expectEnd()
            #expect(scanner.depth == 0)
            return range
        }
    }
}

private func scanDocument(_ text: String, maximumDepth: Int = 64) -> Result<Range<Int>, JSONError> {
    scanDocument(Array(text.utf8), maximumDepth: maximumDepth)
}

/// The decoded value of the JSON string `text` (quotes included).
private func decodeString(_ bytes: [UInt8]) -> Result<String, JSONError> {
    bytes.withUnsafeBytes { buffer in
        Result { () throws(JSONError) in
            var scanner = JSONScanner(bytes: buffer)
            let token = try scanner.scanString()
            try scanner.expectEnd()
            return scanner.string(token)
        }
    }
}

private func decodeString(_ text: String) -> Result<String, JSONError> {
    decodeString(Array(text.utf8))
}

@Suite struct JSONScannerTests {
    @Test(arguments: [
        "0", "-0", "1", "-1", "10", "1.5", "-1.5e10", "1E5", "1e-5", "1e+05", "0.0", "123456789012345678901234567890",
        "true", "false", "null", "\"\"", "\"a\"", "[]", "{}", "[[]]", "{\"a\":{}}", "[1,\"2\",[3],{\"4\":null}]",
        " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } }\n ", "{\"\":0}", "\"\\u0000\"", "[true,false,null]",
    ])
    func acceptsValidDocuments(text: String) throws {
        _ = try scanDocument(text).get()
    }

    @Test func skipValueReturnsTheExactRangeOfTheValue() throws {
        let text = "  { \"a\" : [1, 2.0e+3, \"x\"] , \"b\":{ } }  "
        let range = try scanDocument(text).get()
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[range], as: UTF8.self) == "{ \"a\" : [1, 2.0e+3, \"x\"] , \"b\":{ } }")
    }

    /// (text, 0-based offset, reason) for invalid documents.
    static let invalidDocuments: [(String, Int, JSONError.Reason)] = [
        ("", 0, .expectedValue(found: nil)),
        ("{", 1, .expectedKey(found: nil)),
        ("{\"a\"", 4, .expectedColon(found: nil)),
        ("{\"a\":", 5, .expectedValue(found: nil)),
        ("{\"a\":1", 6, .expectedCommaOrObjectEnd(found: nil)),
        ("{\"a\":1,}", 7, .expectedKey(found: UInt8(ascii: "}"))),
        ("{\"a\" 1}", 5, .expectedColon(found: UInt8(ascii: "1"))),
        ("{a:1}", 1, .expectedKey(found: UInt8(ascii: "a"))),
        ("{\"a\":1 \"b\":2}", 7, .expectedCommaOrObjectEnd(found: UInt8(ascii: "\""))),
        ("[1,]", 3, .expectedValue(found: UInt8(ascii: "]"))),
        ("[1 2]", 3, .expectedCommaOrArrayEnd(found: UInt8(ascii: "2"))),
        ("[1,2", 4, .expectedCommaOrArrayEnd(found: nil)),
        ("[", 1, .expectedValue(found: nil)),
        ("\"abc", 0, .unterminatedString),
        ("[\"abc]", 1, .unterminatedString),
        ("\"\\", 0, .unterminatedString),
        ("\"a\\qb\"", 2, .invalidEscape(found: UInt8(ascii: "q"))),
        ("\"a\\'\"", 2, .invalidEscape(found: UInt8(ascii: "'"))),
        ("\"\\u12G4\"", 1, .invalidUnicodeEscape),
        ("\"\\u12\"", 1, .invalidUnicodeEscape),
        ("\"\\uD800\"", 1, .loneSurrogate(0xD800)),
        ("\"\\uDC00\"", 1, .loneSurrogate(0xDC00)),
        ("\"\\uD800\\u0041\"", 1, .loneSurrogate(0xD800)),
        ("\"\\uDBFF\\uDBFF\"", 1, .loneSurrogate(0xDBFF)),
        ("\"a\u{01}\"", 2, .controlCharacterInString(0x01)),
        ("\"tab\t\"", 4, .controlCharacterInString(0x09)),
        ("\"line\nbreak\"", 5, .controlCharacterInString(0x0A)),
        ("tru", 0, .invalidLiteral),
        ("nul", 0, .invalidLiteral),
        ("nulx", 0, .invalidLiteral),
        ("True", 0, .expectedValue(found: UInt8(ascii: "T"))),
        ("truex", 4, .trailingCharacters(found: UInt8(ascii: "x"))),
        ("01", 0, .leadingZero),
        ("-01", 1, .leadingZero),
        ("[00]", 1, .leadingZero),
        ("-", 1, .expectedDigit(after: "'-'")),
        ("-a", 1, .expectedDigit(after: "'-'")),
        ("1.", 2, .expectedDigit(after: "'.'")),
        ("1.e5", 2, .expectedDigit(after: "'.'")),
        ("1e", 2, .expectedDigit(after: "'e'")),
        ("1E+", 3, .expectedDigit(after: "'E+'")),
        ("1e-x", 3, .expectedDigit(after: "'e-'")),
        (".5", 0, .expectedValue(found: UInt8(ascii: "."))),
        ("+1", 0, .expectedValue(found: UInt8(ascii: "+"))),
        ("NaN", 0, .expectedValue(found: UInt8(ascii: "N"))),
        ("{} x", 3, .trailingCharacters(found: UInt8(ascii: "x"))),
        ("{}{}", 2, .trailingCharacters(found: UInt8(ascii: "{"))),
        ("1 2", 2, .trailingCharacters(found: UInt8(ascii: "2"))),
        ("'a'", 0, .expectedValue(found: UInt8(ascii: "'"))),
    ]

    @Test(arguments: invalidDocuments)
    func rejectsInvalidDocuments(text: String, offset: Int, reason: JSONError.Reason) {
        #expect(scanDocument(text) == .failure(JSONError(offset: offset, reason: reason)))
    }

    /// (bytes, 0-based offset, offending byte) for malformed UTF-8.
    static let invalidUTF8: [([UInt8], Int, UInt8)] = [
        ([0x22, 0xFF, 0x22], 1, 0xFF),
        ([0x22, 0x80, 0x22], 1, 0x80),  // A lone continuation byte.
        ([0x22, 0xC0, 0x80, 0x22], 1, 0xC0),  // Overlong NUL.
        ([0x22, 0xC1, 0xBF, 0x22], 1, 0xC1),  // Overlong.
        ([0x22, 0xE0, 0x80, 0x80, 0x22], 2, 0x80),  // Overlong three-byte form.
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 2, 0xA0),  // An encoded surrogate (U+D800).
        ([0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], 2, 0x80),  // Overlong four-byte form.
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2, 0x90),  // Above U+10FFFF.
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1, 0xF5),
        ([0x22, 0xE2, 0x82, 0x22], 3, 0x22),  // Truncated before the closing quote.
        ([0x22, 0xE2, 0x82], 1, 0xE2),  // Truncated at the end of the text.
        ([0x22, 0xC3, 0x41, 0x22], 2, 0x41),
    ]

    @Test(arguments: invalidUTF8)
    func rejectsInvalidUTF8InStrings(bytes: [UInt8], offset: Int, byte: UInt8) {
        #expect(scanDocument(bytes) == .failure(JSONError(offset: offset, reason: .invalidUTF8(byte))))
    }

    @Test func rejectsNonASCIIBytesOutsideStrings() {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF, 0x7B, 0x7D]
        #expect(scanDocument(byteOrderMark) == .failure(JSONError(offset: 0, reason: .expectedValue(found: 0xEF))))
        let trailing = Array("{\"a\":1}".utf8) + [0xFF]
        #expect(scanDocument(trailing) == .failure(JSONError(offset: 7, reason: .trailingCharacters(found: 0xFF))))
        let inKeyPosition = Array("{".utf8) + [0xC3, 0xA9] + Array(":1}".utf8)
        #expect(scanDocument(inKeyPosition) == .failure(JSONError(offset: 1, reason: .expectedKey(found: 0xC3))))
    }

    @Test(arguments: [
        ("\"é\"", "é"), ("\"€\"", "€"), ("\"𝄞\"", "𝄞"), ("\"\u{FFFF}\"", "\u{FFFF}"), ("\"\u{10FFFF}\"", "\u{10FFFF}"),
        ("\"\u{D7FF}\"", "\u{D7FF}"), ("\"\u{E000}\"", "\u{E000}"), ("\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d"),
        ("\"\\b\\f\\n\\r\\t\"", "\u{08}\u{0C}\n\r\t"), ("\"\\u00e9\\u00E9\"", "éé"), ("\"\\uD834\\uDD1E\"", "𝄞"),
        ("\"\\u0000\"", "\u{0}"), ("\"x\\u20ACy\"", "x€y"), ("\"\\u007f\"", "\u{7F}"), ("\"\u{7F}\"", "\u{7F}"),
        ("\"日本語 \\\"quoted\\\" 🚀\"", "日本語 \"quoted\" 🚀"), ("\"\"", ""),
    ])
    func decodesStrings(json: String, value: String) throws {
        #expect(try decodeString(json).get() == value)
    }

    /// Strings of every length around the eight-byte word boundary, with a special byte at every position.
    @Test(arguments: 0..<20)
    func scansStringsOfEveryLengthAndPosition(length: Int) throws {
        let plain = String(repeating: "a", count: length)
        #expect(try decodeString("\"\(plain)\"").get() == plain)
        #expect(try decodeString("\"\(plain)\"    ").get() == plain)
        for position in 0...length {
            var characters = Array(repeating: "b", count: length)
            characters.insert("\\n", at: position)
            let escaped = "\"" + characters.joined() + "\""
            var expected = Array(repeating: "b", count: length)
            expected.insert("\n", at: position)
            #expect(try decodeString(escaped).get() == expected.joined())
            var withControl = Array(("\"" + String(repeating: "c", count: length) + "\"").utf8)
            withControl.insert(0x1F, at: position + 1)
            let controlError = JSONError(offset: position + 1, reason: .controlCharacterInString(0x1F))
            #expect(decodeString(withControl) == .failure(controlError))
            var withMultibyte = Array(("\"" + String(repeating: "d", count: length) + "\"").utf8)
            withMultibyte.insert(contentsOf: [0xC3, 0xA9], at: position + 1)
            #expect(try decodeString(withMultibyte).get().unicodeScalars.count == length + 1)
        }
        #expect(decodeString("\"\(plain)") == .failure(JSONError(offset: 0, reason: .unterminatedString)))
    }

    @Test(arguments: [
        "0", "-0", "1", "1500", "0.25", "1.5e3", "-2.5E-3", "0.1", "0.30000000000000004", "123456789012345",
        "1234567890123456789", "12345678901234567890123", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
        "1e22", "1e23", "9007199254740993", "1e400", "-1e400", "0.000000000000000000000000000001", "4.9e-324",
    ])
    func convertsNumbersLikeStrtod(text: String) throws {
        let bytes = Array(text.utf8)
        let value = bytes.withUnsafeBytes { buffer -> Double in
            var scanner = JSONScanner(bytes: buffer)
            guard let token = try? scanner.scanNumber() else { return .nan }
            return scanner.doubleValue(token)
        }
        let expected = try #require(Double(text))
        #expect(value == expected || (value.isNaN && expected.isNaN))
        #expect(value.sign == expected.sign)
    }

    @Test(arguments: [
        ("0", 0 as UInt64?), ("4294967295", 4_294_967_295), ("18446744073709551615", UInt64.max),
        ("18446744073709551616", nil), ("1.0", nil), ("1e2", nil), ("-1", nil), ("-0", nil),
    ])
    func readsUnsignedIntegers(text: String, value: UInt64?) {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { buffer -> UInt64? in
            var scanner = JSONScanner(bytes: buffer)
            guard let token = try? scanner.scanNumber() else { return nil }
            return scanner.unsignedIntegerValue(token)
        }
        #expect(result == value)
    }

    @Test func limitsNestingDepth() {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try scanDocument(deepest).get() }
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(scanDocument(tooDeep) == .failure(JSONError(offset: 64, reason: .tooDeep(limit: 64))))
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(scanDocument(objects) == .failure(JSONError(offset: 5 * 64, reason: .tooDeep(limit: 64))))
        let thousand = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(scanDocument(thousand) == .failure(JSONError(offset: 64, reason: .tooDeep(limit: 64))))
        let description = JSONError(offset: 64, reason: .tooDeep(limit: 64)).description
        #expect(description == "invalid JSON at byte 65: nesting deeper than 64 levels")
    }

    @Test func handlesDeepNestingBeyondOneWordOfContainerFlagsWithAHigherLimit() throws {
        var text = ""
        for level in 0..<300 { text += level.isMultiple(of: 3) ? "{\"k\":" : "[" }
        text += "\"leaf\""
        for level in (0..<300).reversed() { text += level.isMultiple(of: 3) ? "}" : "]" }
        let range = try scanDocument(text, maximumDepth: 1000).get()
        #expect(range == 0..<text.utf8.count)
        let offsetOfLevel300 = (0..<299).reduce(0) { $0 + ($1.isMultiple(of: 3) ? 5 : 1) }
        let expected = JSONError(offset: offsetOfLevel300, reason: .tooDeep(limit: 299))
        #expect(scanDocument(text, maximumDepth: 299) == .failure(expected))
    }

    @Test func describesErrorsWithOneBasedByteNumbers() {
        let unterminated = JSONError(offset: 40, reason: .unterminatedString)
        #expect(unterminated.description == "invalid JSON at byte 41: unterminated string")
        #expect(JSONError.Reason.expectedValue(found: nil).description == "expected a value, got the end of the input")
        #expect(JSONError.Reason.expectedValue(found: 0x07).description == "expected a value, got byte 0x07")
        #expect(JSONError.Reason.invalidUTF8(0xC0).description == "invalid UTF-8 byte 0xC0")
        #expect(JSONError.Reason.loneSurrogate(0xD800).description == "lone surrogate \\uD800")
        #expect(JSONError.Reason.invalidEscape(found: 0x71).description == "invalid escape sequence '\\q'")
        let control = JSONError.Reason.controlCharacterInString(0x0A)
        #expect(control.description == "unescaped control character 0x0A in a string")
    }
}
