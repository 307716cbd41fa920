/// Text from the log made safe to print on a terminal: ids, tags, refs and messages are user data, and a control
/// character in them (ESC, CR, LF, BEL, …) would let whoever wrote an event rewrite the operator's screen.
///
/// Every character that a terminal could act on is replaced by a visible escape, as JSON spells it: `\n`, `\r`,
/// `\t`, and `\u00XX` (`\u001b` for ESC) for the other C0 controls, DEL and the C1 controls (U+0080–U+009F, among
/// them the 8-bit CSI U+009B); `\u202e`-style escapes for the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which reorder what is shown. Everything else, other non-ASCII text included, is kept. A
/// backslash is kept as it is, so text that needs no escaping prints unchanged.
///
/// Cost: one pass over the scalars; text without such characters is returned as is, without copying.
public enum TerminalText {
    /// The text with every control character escaped (see ``TerminalText``).
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return result
    }

    /// Whether a scalar is a C0 or C1 control, DEL, or a bidirectional override or isolate.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
