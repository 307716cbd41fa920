import Testing
import TraceLog

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("plain-id_1.2", "plain-id_1.2"),
        ("a\u{1B}[31mred", "a\\u001b[31mred"),
        ("line\nbreak\rback\ttab", "line\\nbreak\\rback\\ttab"),
        ("bell\u{07} nul\u{00} del\u{7F}", "bell\\u0007 nul\\u0000 del\\u007f"),
        ("csi\u{9B}2J", "csi\\u009b2J"),
        ("bidi\u{202E}txt.exe\u{2066}", "bidi\\u202etxt.exe\\u2066"),
        ("ünïcode ✓ and a \\ backslash", "ünïcode ✓ and a \\ backslash"),
    ])
    func controlCharactersAreEscapedAndOtherTextKept(input: String, expected: String) {
        #expect(TerminalText.escaped(input) == expected)
    }

    @Test func escapedTextHasNoCharacterATerminalActsOn() {
        let everything = String(String.UnicodeScalarView((0..<0x300).compactMap(Unicode.Scalar.init)))
        let escaped = TerminalText.escaped(everything)
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
