/// Where a number lies in the text and what its spelling says about it.
struct JSONNumberToken: Hashable {
    /// The number's bytes.
    var range: Range<Int>
    /// Whether it is spelled without a fraction or an exponent.
    var isInteger: Bool
    /// Whether it starts with `-`.
    var isNegative: Bool
}

extension JSONScanner {
    /// Consumes the number at the cursor (`-` or a digit), checking RFC 8259's grammar:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func scanNumber() throws(JSONError) -> JSONNumberToken {
        let start = position
        let end = bytes.count
        var index = start
        let isNegative = current == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard index < end, Self.isDigit(bytes[index]) else { throw error(.expectedDigit(after: "'-'"), at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, Self.isDigit(bytes[index]) { throw error(.leadingZero, at: index - 1) }
        } else {
            index = skipDigits(from: index)
        }
        var isInteger = true
        if index < end, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < end, Self.isDigit(bytes[index]) else { throw error(.expectedDigit(after: "'.'"), at: index) }
            index = skipDigits(from: index)
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            let marker = index
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, Self.isDigit(bytes[index]) else {
                let spelled = String(copyingValidUTF8: slice(marker..<index))
                throw error(.expectedDigit(after: "'\(spelled)'"), at: index)
            }
            index = skipDigits(from: index)
        }
        position = index
        return JSONNumberToken(range: start..<index, isInteger: isInteger, isNegative: isNegative)
    }

    /// The value of a non-negative integer token, or nil if the token is not one or exceeds `UInt64.max`.
    func unsignedIntegerValue(_ token: JSONNumberToken) -> UInt64? {
        guard token.isInteger, !token.isNegative else { return nil }
        var value: UInt64 = 0
        for index in token.range {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] &- UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// The nearest `Double` to a number token (±infinity when it is out of range).
    ///
    /// - Complexity: exact arithmetic for up to 15 significant digits and small exponents (Clinger's fast
    ///   path, no allocation); the C library's correctly rounded `strtod` otherwise.
    func doubleValue(_ token: JSONNumberToken) -> Double {
        var index = token.range.lowerBound
        let end = token.range.upperBound
        if token.isNegative { index += 1 }
        var mantissa: UInt64 = 0
        var digitCount = 0
        var exponent = 0
        while index < end, Self.isDigit(bytes[index]) {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
            digitCount += 1
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, Self.isDigit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                digitCount += 1
                exponent -= 1
                index += 1
            }
        }
        if index < end {  // The exponent: `e`, an optional sign, digits (capped: only small values matter).
            index += 1
            let negative = bytes[index] == UInt8(ascii: "-")
            if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var written = 0
            while index < end {
                written = min(written * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 100_000)
                index += 1
            }
            exponent += negative ? -written : written
        }
        if digitCount <= 15, mantissa < 1 << 53, (-22...22).contains(exponent) {
            var value = Double(mantissa)
            value = exponent < 0 ? value / Self.powersOfTen[-exponent] : value * Self.powersOfTen[exponent]
            return token.isNegative ? -value : value
        }
        return Double(String(copyingValidUTF8: slice(token.range))) ?? .nan
    }

    private static let powersOfTen: [Double] = (0...22).map { (exponent: Int) -> Double in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }  // Exact: every power of ten up to 1e22 is a double.
        return value
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private func skipDigits(from start: Int) -> Int {
        var index = start
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        return index
    }
}
