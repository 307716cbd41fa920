import Testing

@testable import TraceLogServer

@Suite("JSONArraySplitter")
struct JSONArraySplitterTests {
    private func split(_ text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        let open = try #require(bytes.firstIndex(of: UInt8(ascii: "[")))
        return try JSONArraySplitter.elements(of: bytes, from: open).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test("elements end at top-level commas only: nesting, strings and escapes are respected")
    func nesting() throws {
        let text = #" [ {"a":[1,2,{"b":"],}"}]} , {"c":"\"quoted, [\\"} ,3 ] "#
        #expect(try split(text) == [#"{"a":[1,2,{"b":"],}"}]}"#, #"{"c":"\"quoted, [\\"}"#, "3"])
        #expect(try split("[]") == [])
        #expect(try split("[ \n ]") == [])
    }

    @Test("malformed arrays are rejected", arguments: ["[1,,2]", "[1,]", "[,]", "[1", "[1]x", "[1}]", #"["open]"#])
    func malformed(text: String) {
        #expect(throws: APIError.self) { try split(text) }
    }
}
