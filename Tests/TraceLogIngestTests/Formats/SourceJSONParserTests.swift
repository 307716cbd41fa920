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

/// A document parsed one array element at a time reads as the whole parse does: the same elements in order,
/// and for every malformed or too-deep document the same error at the same offset.
@Suite struct SourceJSONElementwiseTests {
    private func elements(_ json: String, maximumDepth: Int = 256) throws(SourceJSONError) -> [String]? {
        let bytes = Array(json.utf8)
        var texts: [String] = []
        let isArray = try SourceJSONParser.forEachElement(of: bytes, maximumDepth: maximumDepth) { index, element in
            #expect(index == texts.count)
            texts.append(element.text(in: bytes))
            return true
        }
        return isArray ? texts : nil
    }

    @Test func elementsComeInOrderWithTheirText() throws {
        #expect(
            try elements(#" [1, {"a": [2, "x"]}, "s", null , [] ] "#) == [
                "1", #"{"a": [2, "x"]}"#, #""s""#, "null", "[]",
            ])
        #expect(try elements("[]") == [])
        #expect(try elements(#"{"a": 1}"#) == nil)
        #expect(try elements("7") == nil)
    }

    static let malformed = [
        "[1, 2", "[1 2]", "[1,]", #"[{"a" 1}]"#, "[1] x", "[[[[1]]]]", #"[{"a": [tru]}]"#, "[\"unterminated]",
        #"[1, {"k": "v"}, {"k": }]"#,
    ]

    @Test(arguments: malformed)
    func malformedDocumentsFailAsTheWholeParseFails(_ json: String) {
        let bytes = Array(json.utf8)
        var whole: SourceJSONError?
        do { _ = try SourceJSONParser.parse(bytes, maximumDepth: 3) } catch { whole = error }
        #expect(whole != nil)
        for buildDepth in [1, 2, Int.max] {
            var elementwise: SourceJSONError?
            do {
                _ = try SourceJSONParser.forEachElement(of: bytes, maximumDepth: 3, buildDepth: buildDepth) { _, _ in
                    true
                }
            } catch {
                elementwise = error
            }
            #expect(elementwise == whole, "build depth \(buildDepth)")
        }
    }

    /// Below the build depth, objects and arrays are checked but come back empty, with their text.
    @Test func containersBelowTheBuildDepthKeepOnlyTheirText() throws {
        let bytes = Array(#"[{"a": "x", "b": {"c": [1, {"d": 2}]}, "e": [3]}]"#.utf8)
        var element: SourceJSON?
        _ = try SourceJSONParser.forEachElement(of: bytes, buildDepth: 2) { _, value in
            element = value
            return true
        }
        let members = try #require(element.map { JSONMembers(list: membersOf($0)) })
        #expect(members["a"]?.string == "x")
        #expect(members["b"]?.text(in: bytes) == #"{"c": [1, {"d": 2}]}"#)
        #expect(membersOf(try #require(members["b"])).isEmpty)
        #expect(members["e"]?.text(in: bytes) == "[3]")
        if case .array(let items) = members["e"]?.value { #expect(items.isEmpty) } else { Issue.record("not an array") }
    }

    private func membersOf(_ value: SourceJSON) -> [(key: String, value: SourceJSON)] {
        if case .object(let members) = value.value { return members }
        return []
    }

    /// A caller that stops taking elements (its element failed) still gets the document's invalid JSON.
    @Test func invalidJSONAfterARefusedElementIsStillFound() {
        var taken = 0
        #expect(throws: SourceJSONError(offset: 12, reason: "expected a value, got ']'")) {
            _ = try SourceJSONParser.forEachElement(of: Array("[1, 2, 3, 4,]".utf8)) { _, _ in
                taken += 1
                return false
            }
        }
        #expect(taken == 1)
    }
}

/// An object's members are looked up by comparing keys; duplicates and unknown keys are still named, in order.
@Suite struct FieldReaderMembersTests {
    private func members(_ json: String, allowed: [String]? = nil) throws(ImportError) -> JSONMembers {
        let bytes = Array(json.utf8)
        let document = try! SourceJSONParser.parse(bytes)
        return try FieldReader(format: .selinon, location: .line(3), source: bytes).members(
            of: document, allowed: allowed)
    }

    private func failure(_ json: String, allowed: [String]? = nil) -> ImportError? {
        do {
            _ = try members(json, allowed: allowed)
            return nil
        } catch {
            return error
        }
    }

    @Test func membersAreFoundByKey() throws {
        let found = try members(#"{"a": 1, "b": "two", "c": null}"#)
        #expect(found["b"]?.string == "two" && found["c"]?.isNull == true && found["z"] == nil)
        #expect(try members("{}").isEmpty)
    }

    @Test func duplicatesAreFoundInSmallAndLargeObjects() {
        #expect(failure(#"{"a": 1, "b": 2, "a": 3}"#)?.field == "a")
        let large = "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k17\": 0}"
        #expect(
            failure(large) == ImportError(format: .selinon, location: .line(3), field: "k17", reason: "duplicate key"))
    }

    @Test func theFirstProblemInKeyOrderIsReported() {
        #expect(failure(#"{"a": 1, "a": 2, "x": 3}"#, allowed: ["a"])?.reason == "duplicate key")
        #expect(failure(#"{"a": 1, "x": 2, "a": 3}"#, allowed: ["a"])?.reason == "unknown key")
    }
}
