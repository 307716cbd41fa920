/// Number formatting for the reports, without Foundation and the same on every platform.
enum NumberFormat {
    /// `value` with `digits` decimals (half away from zero); "∞" / "-∞" / "–" for the non-finite.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "-∞") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return (value < 0 ? "-" : "") + String(Int64(abs(value).rounded())) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let fraction = units % Int64(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
        }
        return text
    }

    /// A plain number with at most `digits` decimals and no trailing zeros: `0.01`, `0.05`, `2`.
    static func plain(_ value: Double, maximumDigits digits: Int = 6) -> String {
        var text = fixed(value, digits)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text
    }

    /// A duration in milliseconds with about three significant digits: `1234 ms`, `12.3 ms`, `0.123 ms`.
    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        let magnitude = abs(value)
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return fixed(value, digits) + " ms"
    }

    /// A ratio with two decimals and a `×`.
    static func ratio(_ value: Double?) -> String {
        guard let value else { return "–" }
        return fixed(value, 2) + "×"
    }

    /// A p-value: three decimals from 0.001 up, else scientific with two digits (`3.1e-05`).
    static func pValue(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value >= 0.001 || value == 0 { return fixed(value, 3) }
        var exponent = 0
        var mantissa = value
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        if (mantissa * 10).rounded() >= 100 {
            mantissa /= 10
            exponent += 1
        }
        let exponentText = String(-exponent)
        return fixed(mantissa, 1) + "e-" + (exponentText.count < 2 ? "0" : "") + exponentText
    }

    /// A rate in 0…1 as a percentage with one decimal.
    static func percent(_ value: Double) -> String {
        fixed(value * 100, 1) + "%"
    }

    /// A signed difference of rates in percentage points.
    static func points(_ value: Double) -> String {
        (value > 0 ? "+" : "") + fixed(value * 100, 1) + " pp"
    }

    /// A compact number for SVG coordinates (one decimal).
    static func coordinate(_ value: Double) -> String {
        fixed(value, 1)
    }
}

/// Escaping of text taken from the log (node names, tags, selectors) for each output.
enum Escape {
    /// For a terminal: control characters (C0, DEL, C1) as `\u{…}`, so a node name cannot move the cursor or
    /// change colours.
    static func terminal(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                output += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// For a markdown table cell: terminal escaping, then `\`, `|`, `` ` ``, `*`, `_`, `<`, `>` and `[`, `]`
    /// backslash-escaped.
    static func markdown(_ text: String) -> String {
        var output = ""
        for character in terminal(text) {
            if "\\|`*_<>[]".contains(character) { output += "\\" }
            output.append(character)
        }
        return output
    }

    /// For HTML text and attribute values: `&`, `<`, `>`, `"`, `'`; control characters as in ``terminal(_:)``.
    static func html(_ text: String) -> String {
        var output = ""
        for character in terminal(text) {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}
