/// Why a JSON text was rejected, and where: the scanner's only error.
///
/// `offset` is the 0-based byte offset of the offending byte (or of the opening quote of an unterminated string,
/// or the text's length when the input ended too early); ``description`` prints it 1-based, like a column.
struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based byte offset the error was found at.
    var offset: Int
    /// What is wrong there.
    var reason: Reason

    /// `invalid JSON at byte 41: unterminated string` (the byte number is 1-based).
    var description: String { "invalid JSON at byte \(offset + 1): \(reason)" }

    /// The classes of invalid JSON. `found` is the byte seen instead (nil at the end of the input).
    enum Reason: Hashable, Sendable, CustomStringConvertible {
        case expectedValue(found: UInt8?)
        case expectedKey(found: UInt8?)
        case expectedColon(found: UInt8?)
        case expectedCommaOrObjectEnd(found: UInt8?)
        case expectedCommaOrArrayEnd(found: UInt8?)
        case trailingCharacters(found: UInt8)
        case invalidLiteral
        case unterminatedString
        case controlCharacterInString(UInt8)
        case invalidEscape(found: UInt8?)
        case invalidUnicodeEscape
        case loneSurrogate(UInt16)
        case invalidUTF8(UInt8)
        case leadingZero
        case expectedDigit(after: String)
        case tooDeep(limit: Int)

        var description: String {
            switch self {
            case .expectedValue(let found): "expected a value, got \(Self.describe(found))"
            case .expectedKey(let found): "expected a string key, got \(Self.describe(found))"
            case .expectedColon(let found): "expected ':' after an object key, got \(Self.describe(found))"
            case .expectedCommaOrObjectEnd(let found): "expected ',' or '}', got \(Self.describe(found))"
            case .expectedCommaOrArrayEnd(let found): "expected ',' or ']', got \(Self.describe(found))"
            case .trailingCharacters(let found): "unexpected \(Self.describe(found)) after the end of the value"
            case .invalidLiteral: "invalid literal (expected true, false or null)"
            case .unterminatedString: "unterminated string"
            case .controlCharacterInString(let byte): "unescaped control character \(Self.hex(byte)) in a string"
            case .invalidEscape(let found): "invalid escape sequence '\\\(Self.character(found))'"
            case .invalidUnicodeEscape: "invalid \\u escape (expected 4 hex digits)"
            case .loneSurrogate(let unit): "lone surrogate \\u\(String(unit, radix: 16, uppercase: true))"
            case .invalidUTF8(let byte): "invalid UTF-8 byte \(Self.hex(byte))"
            case .leadingZero: "leading zero in a number"
            case .expectedDigit(let after): "expected a digit after \(after) in a number"
            case .tooDeep(let limit): "nesting deeper than \(limit) levels"
            }
        }

        /// `'x'` for printable ASCII, `byte 0xNN` otherwise, `the end of the input` for nil.
        static func describe(_ byte: UInt8?) -> String {
            guard let byte else { return "the end of the input" }
            guard byte >= 0x20 && byte < 0x7F else { return "byte \(hex(byte))" }
            return "'\(Character(Unicode.Scalar(byte)))'"
        }

        private static func character(_ byte: UInt8?) -> String {
            guard let byte, byte >= 0x20 && byte < 0x7F else { return byte.map(hex) ?? "" }
            return String(Character(Unicode.Scalar(byte)))
        }

        private static func hex(_ byte: UInt8) -> String {
            let digits = String(byte, radix: 16, uppercase: true)
            return "0x" + (digits.count == 1 ? "0" + digits : digits)
        }
    }
}
