/// RFC 3339 UTC timestamps with microsecond precision, formatted without Foundation.
///
/// Converts between microseconds since the Unix epoch and the proleptic Gregorian calendar with
/// Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, which are exact for every
/// date this generator can reach.
public enum RFC3339Time {
    /// Microseconds since 1970-01-01T00:00:00Z for a UTC civil date and time.
    ///
    /// - Complexity: O(1).
    public static func microseconds(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0
    ) -> Int64 {
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000 + Int64(microsecond)
    }

    /// The timestamp as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits, always `Z`).
    ///
    /// - Complexity: O(1); allocates the returned string.
    public static func string(fromMicroseconds microseconds: Int64) -> String {
        var formatter = TimestampFormatter()
        let buffer = LineBuffer(capacity: 32)
        formatter.append(microseconds: microseconds, to: buffer)
        return String(decoding: buffer.written, as: UTF8.self)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (`days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (`civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Appends RFC 3339 timestamps to a line, caching the `YYYY-MM-DDT` part while the day stays the same.
struct TimestampFormatter {
    private var cachedDay: Int64 = .min
    /// `YYYY-MM-DDT` of `cachedDay` in the first 11 bytes (a value, so iterator copies stay independent).
    private var cachedDate: (UInt64, UInt64) = (0, 0)

    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` (27 bytes, without quotes).
    mutating func append(microseconds: Int64, to output: LineBuffer) {
        let microsPerDay: Int64 = 86_400_000_000
        var day = microseconds / microsPerDay
        var microsOfDay = microseconds % microsPerDay
        if microsOfDay < 0 {
            day -= 1
            microsOfDay += microsPerDay
        }
        if day != cachedDay {
            cacheDate(day: day)
        }
        output.reserve(27)
        withUnsafeBytes(of: cachedDate) { output.append($0.baseAddress!, count: 11) }
        let secondsOfDay = Int(microsOfDay / 1_000_000)
        output.appendPadded(secondsOfDay / 3600, width: 2)
        output.append(byte: UInt8(ascii: ":"))
        output.appendPadded(secondsOfDay / 60 % 60, width: 2)
        output.append(byte: UInt8(ascii: ":"))
        output.appendPadded(secondsOfDay % 60, width: 2)
        output.append(byte: UInt8(ascii: "."))
        output.appendPadded(Int(microsOfDay % 1_000_000), width: 6)
        output.append(byte: UInt8(ascii: "Z"))
    }

    private mutating func cacheDate(day: Int64) {
        let civil = RFC3339Time.civilFromDays(Int(day))
        precondition((0...9999).contains(civil.year), "RFC 3339 years have four digits")
        let date = LineBuffer(capacity: 16)
        date.appendPadded(civil.year, width: 4)
        date.append(byte: UInt8(ascii: "-"))
        date.appendPadded(civil.month, width: 2)
        date.append(byte: UInt8(ascii: "-"))
        date.appendPadded(civil.day, width: 2)
        date.append(byte: UInt8(ascii: "T"))
        withUnsafeMutableBytes(of: &cachedDate) { $0.copyMemory(from: UnsafeRawBufferPointer(date.written)) }
        cachedDay = day
    }
}
