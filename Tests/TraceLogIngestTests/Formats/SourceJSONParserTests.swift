import Testing

@testable import TraceLogIngest

/// The importers' JSON parser decodes strings straight from the input when they hold no escape, and checks
/// UTF-8 on every path.
@Suite struct SourceJSONParserTests {
    private func string(_ bytes: [UInt8]) throws -> String? {
        try SourceJSONParser.parse(bytes).string
    }

    @Test func stringsWithAndWithoutEscapesDecode() throws {
        #expect(try string(Array(#""plain ascii""#.utf8)) == "plain ascii")
        #expect(try string(Array(#""gr\u00fc\u00dfe \"q\" \n""#.utf8)) == "grüße \"q\" \n")
        #expect(try string(Array("\"ünï 🎉\"".utf8)) == "ünï 🎉")
        #expect(try string(Array(#""ü\tü""#.utf8)) == "ü\tü")
        #expect(try string(Array(#""""#.utf8)) == "")
    }

    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0x80], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82, 0x41],
    ]

    /// Invalid UTF-8 is rejected at the string's opening quote, with or without an escape in the string.
    @Test(arguments: invalidUTF8, [false, true])
    func invalidUTF8IsRejectedAtTheString(_ invalid: [UInt8], withEscape: Bool) {
        let content = Array("ok ".utf8) + invalid + (withEscape ? Array(#"\n"#.utf8) : [])
        let document = Array(#"{"a": ""#.utf8) + content + Array(#""}"#.utf8)
        #expect(throws: SourceJSONError(offset: 6, reason: "invalid UTF-8 in a string")) {
            try SourceJSONParser.parse(document)
        }
    }
}
