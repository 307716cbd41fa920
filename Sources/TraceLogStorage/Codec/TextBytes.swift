/// Text forms of timestamps, trace ids and numbers appended straight to a byte buffer, without a `String`: what
/// writers of many lines (`replay` from ``RecordView``s) use. Each gives exactly the bytes of the `String` form.
extension Timestamp {
    /// Appends ``description`` (RFC 3339, six fractional digits, `Z`) to `bytes`.
    package func appendRFC3339(to bytes: inout [UInt8]) {
        let (days, microsOfDay) = microseconds.floorDividedBy(86_400_000_000)
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            // Years of other widths (or signs) take the general path.
            bytes.append(contentsOf: description.utf8)
            return
        }
        let seconds = microsOfDay / 1_000_000
        bytes.appendDigits(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendDigits(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendDigits(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        bytes.appendDigits(seconds / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        bytes.appendDigits(seconds / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        bytes.appendDigits(seconds % 60, width: 2)
        bytes.append(UInt8(ascii: "."))
        bytes.appendDigits(microsOfDay % 1_000_000, width: 6)
        bytes.append(UInt8(ascii: "Z"))
    }
}

extension TraceID {
    /// Appends ``description`` (32 lowercase hex digits) to `bytes`.
    package func appendHex(to bytes: inout [UInt8]) {
        func appendHex(_ value: UInt64) {
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 { bytes.append(digits.utf8Start[Int((value >> UInt64(60 - 4 * index)) & 0xF)]) }
        }
        appendHex(high)
        appendHex(low)
    }
}

extension [UInt8] {
    /// Appends a non-negative `value` in decimal, zero-padded to at least `width` digits.
    package mutating func appendDigits(_ value: Int64, width: Int = 1) {
        precondition(value >= 0)
        var digits = InlineArray<20, UInt8>(repeating: 0)
        var count = 0
        var remaining = value
        repeat {
            digits[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            count += 1
        } while remaining > 0
        for _ in count..<Swift.max(count, width) { append(UInt8(ascii: "0")) }
        for index in (0..<count).reversed() { append(digits[index]) }
    }

    /// Appends `value` in decimal, as `String(value)` spells it.
    package mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            if value == .min {
                append(contentsOf: "9223372036854775808".utf8)
                return
            }
            appendDigits(-value)
        } else {
            appendDigits(value)
        }
    }
}
