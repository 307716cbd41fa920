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
        // YYYY-MM-DDTHH:MM:SS.ffffffZ: 27 bytes composed on the stack, appended at once.
        var text = InlineArray<27, UInt8>(repeating: 0)
        func put(_ value: Int64, at start: Int, width: Int) {
            var remaining = value
            for index in (start..<start + width).reversed() {
                text[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
        }
        put(year, at: 0, width: 4)
        text[4] = UInt8(ascii: "-")
        put(month, at: 5, width: 2)
        text[7] = UInt8(ascii: "-")
        put(day, at: 8, width: 2)
        text[10] = UInt8(ascii: "T")
        put(seconds / 3600, at: 11, width: 2)
        text[13] = UInt8(ascii: ":")
        put(seconds / 60 % 60, at: 14, width: 2)
        text[16] = UInt8(ascii: ":")
        put(seconds % 60, at: 17, width: 2)
        text[19] = UInt8(ascii: ".")
        put(microsOfDay % 1_000_000, at: 20, width: 6)
        text[26] = UInt8(ascii: "Z")
        text.span.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }
}

extension TraceID {
    /// Appends ``description`` (32 lowercase hex digits) to `bytes`.
    package func appendHex(to bytes: inout [UInt8]) {
        var text = InlineArray<32, UInt8>(repeating: 0)
        let digits: StaticString = "0123456789abcdef"
        for index in 0..<16 {
            let shift = UInt64(60 - 4 * index)
            text[index] = digits.utf8Start[Int((high >> shift) & 0xF)]
            text[16 + index] = digits.utf8Start[Int((low >> shift) & 0xF)]
        }
        text.span.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }
}

extension [UInt8] {
    /// Appends a non-negative `value` in decimal, zero-padded to at least `width` digits (at most 20).
    package mutating func appendDigits(_ value: Int64, width: Int = 1) {
        precondition(value >= 0)
        var digits = InlineArray<20, UInt8>(repeating: UInt8(ascii: "0"))
        var first = 20
        var remaining = value
        repeat {
            first -= 1
            digits[first] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        } while remaining > 0
        first = Swift.min(first, 20 - Swift.min(width, 20))
        digits.span.withUnsafeBufferPointer { append(contentsOf: UnsafeBufferPointer(rebasing: $0[first...])) }
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
