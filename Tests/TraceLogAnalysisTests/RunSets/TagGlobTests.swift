import Testing
import TraceLogAnalysis

@Suite("Tag globs")
struct TagGlobTests {
    @Test(
        "matching",
        arguments: [
            ("nightly-*", "nightly-2026-11-22", true), ("nightly-*", "nightly-", true), ("nightly-*", "nightly", false),
            ("*", "", true), ("*", "anything", true), ("run-?", "run-1", true), ("run-?", "run-12", false),
            ("run-??", "run-12", true), ("*-v2-*", "bench-v2-07", true), ("*-v2-*", "bench-v3-07", false),
            ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("a*a*a", "aaaa", true), ("run-\\*", "run-*", true),
            ("run-\\*", "run-1", false), ("café-?", "café-é", true), ("x[1]", "x[1]", true), ("**x", "ax", true),
        ])
    func matches(pattern: String, tag: String, expected: Bool) throws {
        #expect(try TagGlob(pattern).matches(tag) == expected)
    }

    @Test("a pattern without wildcards is one literal tag; * alone matches everything")
    func literal() throws {
        #expect(try TagGlob("run-x").literal == "run-x")
        #expect(try TagGlob("run-\\*").literal == "run-*")
        #expect(try TagGlob("run-*").literal == nil)
        #expect(try TagGlob("**").matchesEverything)
        #expect(throws: AnalysisError.self) { try TagGlob("run-\\") }
    }

    @Test("selectors: tag:GLOB and trace:ID, anything else is an error that says what is expected")
    func selectors() throws {
        #expect(try RunSelector(parsing: "tag:nightly-*").description == "tag:nightly-*")
        let id = "0123456789abcdef0123456789abcdef"
        #expect(try RunSelector(parsing: "trace:\(id)").description == "trace:\(id)")
        for bad in ["nightly", "tag:", "trace:xyz", "trace:0123"] {
            #expect {
                try RunSelector(parsing: bad)
            } throws: { error in
                "\(error)".hasPrefix("invalid run selector \"\(bad)\"")
            }
        }
    }
}
