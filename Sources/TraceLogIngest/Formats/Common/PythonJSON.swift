/// Writes JSON exactly as Python's `json.dumps(value)` does with its defaults (`ensure_ascii=True`, separators
/// `", "` and `": "`, no indentation), for exports that must match a Python tool byte for byte.
///
/// Rules, each checked against CPython 3.12: strings escape `"` `\` `\n` `\r` `\t` `\b` `\f`, every other
/// character outside `' '...'~'` as `\uXXXX` (lowercase hex, UTF-16 surrogate pairs above U+FFFF); integers are
/// printed as they are; floats as `repr(float)` (shortest round trip, exponent form when the decimal exponent is
/// below -4 or above 15, `.0` added to whole numbers, `Infinity`/`NaN` for non-finite values).
struct PythonJSON {
    /// The text written so far.
    var text = ""

    /// Appends a JSON string literal, escaped as Python's `ensure_ascii` encoder does.
    mutating func appendString(_ value: String) {
        text += "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x08: text += "\\b"
            case 0x0C: text += "\\f"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        text += "\""
    }

    /// Appends an optional string, or `null`.
    mutating func appendString(_ value: String?) {
        if let value { appendString(value) } else { text += "null" }
    }

    /// Appends a number given as a JSON lexeme: an integer lexeme as Python's `int` prints it, anything else as
    /// Python's `repr(float)` of its value.
    mutating func appendNumber(lexeme: String) {
        if lexeme.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }) {
            text += lexeme == "-0" ? "0" : lexeme
        } else {
            appendFloat(Double(lexeme) ?? .nan)
        }
    }

    /// Appends a Python `float`, as `repr()` prints it.
    mutating func appendFloat(_ value: Double) {
        text += Self.floatRepr(value)
    }

    /// Appends a JSON value re-serialized in Python's style; duplicate keys keep the first key's place and the
    /// last value, as `json.loads` followed by `json.dumps` would.
    mutating func append(_ json: SourceJSON) {
        switch json.value {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let lexeme): appendNumber(lexeme: lexeme)
        case .string(let value): appendString(value)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                append(element)
            }
            text += "]"
        case .object(let members):
            text += "{"
            var order: [String] = []
            var values: [String: SourceJSON] = [:]
            for (key, value) in members {
                if values.updateValue(value, forKey: key) == nil { order.append(key) }
            }
            for (index, key) in order.enumerated() {
                if index > 0 { text += ", " }
                appendString(key)
                text += ": "
                append(values[key]!)
            }
            text += "}"
        }
    }

    /// Python's `repr(float)`.
    static func floatRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        var (digits, decimalPoint) = shortestDigits(abs(value))
        if digits.isEmpty { return sign + "0.0" }
        if decimalPoint <= -4 || decimalPoint > 16 {
            let exponent = decimalPoint - 1
            var mantissa = String(digits.removeFirst())
            if !digits.isEmpty { mantissa += "." + digits }
            let exponentDigits = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exponentDigits.count < 2 ? "0" : "")
                + exponentDigits
        }
        if decimalPoint <= 0 { return sign + "0." + String(repeating: "0", count: -decimalPoint) + digits }
        if decimalPoint >= digits.count {
            return sign + digits + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: decimalPoint)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-tripping decimal digits of a finite, non-negative value (no leading or trailing zeros)
    /// and the position of the decimal point: value = 0.DIGITS × 10^decimalPoint. Empty digits for zero.
    ///
    /// Swift's `description` already prints the shortest round-tripping digits (like Python's repr); only the
    /// layout differs, so the digits are read back out of it.
    static func shortestDigits(_ value: Double) -> (digits: String, decimalPoint: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let integerPart = mantissa.split(separator: ".", omittingEmptySubsequences: false)[0]
        var digits = Substring(mantissa.filter { $0 != "." })
        var decimalPoint = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), digits.isEmpty ? 0 : decimalPoint)
    }
}
