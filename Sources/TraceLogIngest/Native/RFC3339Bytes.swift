import TraceLogStorage

/// RFC 3339 date-times read straight from a line's bytes, with exactly the rules of `Timestamp(rfc3339:)`.
///
/// `Timestamp(rfc3339:)` takes a `StringProtocol` and copies it into an array: two allocations per line on
/// the ingest hot path. This reads the bytes in place. The tests check that both accept and reject the
/// same texts and agree on every value.
enum RFC3339Bytes {
    /// The timestamp spelled by `bytes` (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space
    /// separator accepted, digits past the sixth fractional digit truncated, a leap second read as :59),
    /// or nil for anything else.
    static func timestamp(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        // `YYYY-MM-DDTHH:MM:SS` has a fixed width; only the fraction and the zone vary.
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes, at: 0, digits: 4), let month = number(bytes, at: 5, digits: 2),
            let day = number(bytes, at: 8, digits: 2), let hour = number(bytes, at: 11, digits: 2),
            let minute = number(bytes, at: 14, digits: 2), let second = number(bytes, at: 17, digits: 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24,
            minute < 60, second < 61
        else { return nil }
        var position = 19
        var fraction: Int64 = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            let digitsStart = position
            while position < bytes.count, let digit = number(bytes, at: position, digits: 1) {
                if position - digitsStart < 6 { fraction = fraction * 10 + digit }
                position += 1
            }
            let count = position - digitsStart
            guard count > 0, position < bytes.count else { return nil }
            for _ in min(count, 6)..<6 { fraction *= 10 }
        }
        var offsetSeconds: Int64 = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[position] == UInt8(ascii: "+") ? 1 : -1
            guard bytes.count - position >= 6, bytes[position + 3] == UInt8(ascii: ":"),
                let offsetHour = number(bytes, at: position + 1, digits: 2),
                let offsetMinute = number(bytes, at: position + 4, digits: 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            position += 6
        default:
            return nil
        }
        guard position == bytes.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Timestamp(microseconds: seconds * 1_000_000 + fraction)
    }

    /// The value of the `digits` decimal digits at `offset` (which the caller keeps within `bytes`), or nil.
    @inline(__always)
    private static func number(_ bytes: UnsafeRawBufferPointer, at offset: Int, digits: Int) -> Int64? {
        var value: Int64 = 0
        for index in offset..<(offset + digits) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
