import Testing

@testable import TraceLogIngest

/// The in-place key match of the native parser's hot path against the general one.
@Suite struct NativeKeyQuotedTests {
    /// `matchQuoted` over `text`'s bytes at `start`.
    private func match(_ text: String, at start: Int = 0) -> (key: NativeKey, length: Int)? {
        var text = text
        return text.withUTF8 { NativeKey.matchQuoted(in: JSONText(UnsafeRawBufferPointer($0)), at: start) }
    }

    @Test func recognizesEveryKeyWithItsClosingQuote() {
        let padding = String(repeating: " ", count: 20)
        for key in NativeKey.allCases {
            let name = key.name.description
            let found = match(name + "\":1" + padding)
            #expect(found?.key == key, "\(name)")
            #expect(found?.length == name.utf8.count + 1, "\(name)")
            // The same bytes further into a text.
            #expect(match("{\"" + name + "\":1" + padding, at: 2)?.key == key, "\(name)")
        }
    }

    @Test func rejectsLongerShorterAndEscapedSpellings() {
        let padding = String(repeating: " ", count: 20)
        for key in NativeKey.allCases {
            let name = key.name.description
            #expect(match(name + "x\":1" + padding) == nil, "\(name)x")
            #expect(match(String(name.dropLast()) + "\":1" + padding).map { $0.key } != key, "\(name) shortened")
            #expect(match("\\u00" + name + "\":1" + padding) == nil, "escaped \(name)")
        }
        // `trigger` is a prefix of `trigger_instance`: each is told apart by where its quote is.
        #expect(match("trigger_instance\":\"t\"" + padding)?.key == .triggerInstance)
        #expect(match("trigger\":\"t\"" + padding)?.key == .trigger)
        #expect(match("trigger_instancex\":1" + padding) == nil)
    }

    @Test func leavesTheEndOfATextToTheGeneralPath() {
        // Fewer than 16 bytes after the quote: no match, whatever they spell.
        #expect(match("type\":1}") == nil)
        #expect(match("type\":1}" + String(repeating: " ", count: 8)) != nil)
    }

    @Test func parsesTheSameEventAndErrorsOnEitherPath() throws {
        // Keys at the end of a line take the general path; padding the line puts the same keys on the fast one.
        let line = #"{"type":"execution","id":"e","action":"a","attempt":2}"#
        let padded = #"{"type":"execution","id":"e","action":"a","attempt":2                    }"#
        #expect(try parseLine(line) == parseLine(padded))
        let escaped = #"{"t\u0079pe":"execution","\u0069d":"e","action":"a","attempt":2}"#
        #expect(try parseLine(escaped) == parseLine(line))
        for members in [
            #""type":"execution","type":"execution","id":"e","action":"a""#,
            #""type":"execution","bogus":1,"id":"e","action":"a""#,
            #""type" "execution","id":"e","action":"a""#,
        ] {
            let text = "{" + members + String(repeating: " ", count: 20) + "}"
            #expect(throws: NativeEventError.self) { try parseLine(text) }
            #expect(errorText(text) == errorText("{" + members + "}"), "\(members)")
        }
    }

    private func errorText(_ line: String) -> String? {
        do {
            _ = try parseLine(line)
            return nil
        } catch {
            return error.description
        }
    }
}
