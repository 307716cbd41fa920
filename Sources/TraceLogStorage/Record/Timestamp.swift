/// A point in time in UTC with microsecond precision, stored as microseconds since the Unix epoch.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The current wall-clock time (`CLOCK_REALTIME`).
    public static func now() -> Timestamp {
        Timestamp(microseconds: SystemCalls.realtimeMicroseconds())
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// RFC 3339 in UTC with six fractional digits, e.g. `2026-11-22T10:00:00.000123Z`.
    public var description: String { rfc3339() }

    /// RFC 3339 in UTC with six fractional digits and the given zone suffix (`Z` or `+00:00`).
    public func rfc3339(zoneSuffix: String = "Z") -> String {
        let (days, microsOfDay) = microseconds.floorDividedBy(86_400_000_000)
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        let seconds = microsOfDay / 1_000_000
        let fraction = microsOfDay % 1_000_000
        var text = ""
        text.reserveCapacity(32)
        text += Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        text += "T" + Self.pad(seconds / 3600, 2) + ":" + Self.pad(seconds / 60 % 60, 2) + ":"
        text += Self.pad(seconds % 60, 2) + "." + Self.pad(fraction, 6) + zoneSuffix
        return text
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space separator are accepted).
    ///
    /// Digits past the sixth fractional digit are truncated. Returns nil for anything that is not RFC 3339.
    public init?(rfc3339 text: some StringProtocol) {
        var string = String(text)
        guard let parsed = string.withUTF8({ Timestamp(rfc3339Bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses RFC 3339 from UTF-8 bytes in place (the ingest hot path: no copy, no allocation).
    public init?(rfc3339Bytes bytes: UnsafeRawBufferPointer) {
        let parser = RFC3339Parser(bytes: bytes)
        guard let micros = parser.parse() else { return nil }
        self.init(microseconds: micros)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    /// Floor division and the non-negative remainder.
    package func floorDividedBy(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = self / divisor
        var remainder = self % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}

/// Conversions between days since the epoch and proleptic Gregorian dates (Howard Hinnant's algorithms).
package enum CivilCalendar {
    /// The year, month (1…12) and day (1…31) of a day counted from 1970-01-01.
    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A strict RFC 3339 date-time parser over UTF-8 bytes.
///
/// The date and time up to the seconds have fixed offsets (`YYYY-MM-DDTHH:MM:SS`), so they are read at those
/// offsets with no cursor; only the fraction and the zone are scanned. One timestamp per ingested event goes
/// through here.
struct RFC3339Parser {
    let bytes: UnsafeRawBufferPointer

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    func parse() -> Int64? {
        // The shortest accepted text is the 19 bytes up to the seconds plus a one-byte zone (`Z`).
        guard bytes.count >= 20, let year = number(at: 0, digits: 4), bytes[4] == UInt8(ascii: "-"),
            let month = number(at: 5, digits: 2), bytes[7] == UInt8(ascii: "-"), let day = number(at: 8, digits: 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = number(at: 11, digits: 2), bytes[13] == UInt8(ascii: ":"),
            let minute = number(at: 14, digits: 2), bytes[16] == UInt8(ascii: ":"),
            let second = number(at: 17, digits: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var position = 19
        var fraction: Int64 = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            var count = 0
            while position < bytes.count, case let digit = bytes[position] &- UInt8(ascii: "0"), digit < 10 {
                if count < 6 { fraction = fraction * 10 + Int64(digit) }
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 6)..<6 { fraction *= 10 }
        }
        guard position < bytes.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[position] == UInt8(ascii: "+") ? 1 : -1
            guard position + 6 <= bytes.count, let offsetHour = number(at: position + 1, digits: 2),
                bytes[position + 3] == UInt8(ascii: ":"), let offsetMinute = number(at: position + 4, digits: 2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            position += 6
        default:
            return nil
        }
        guard position == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return seconds * 1_000_000 + fraction
    }

    /// The decimal number in the `digits` bytes at `start`, which the caller has checked are in bounds; nil if
    /// any of them is not an ASCII digit.
    @inline(__always)
    private func number(at start: Int, digits: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<start + digits {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
