import Foundation
import Testing
import TraceLogWorkload

@Suite("RFC3339Time")
struct RFC3339TimeTests {
    private static let utc = TimeZone(identifier: "UTC")!

    private func foundationString(microseconds: Int64, formatter: ISO8601DateFormatter) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test("agrees with ISO8601DateFormatter across leap years, month and year boundaries")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Self.utc
        formatter.formatOptions = [.withInternetDateTime]
        var instants: [Int64] = []
        let oneDay: Int64 = 86_400_000_000
        // Every day from 1899 to 2101, at a time of day that moves so every hour is covered.
        var micros = RFC3339Time.microseconds(year: 1899, month: 12, day: 25)
        let end = RFC3339Time.microseconds(year: 2101, month: 1, day: 5)
        var step: Int64 = 0
        while micros < end {
            instants.append(micros + (step % 86_400) * 1_000_000 + step % 1_000_000)
            micros += oneDay
            step += 3_607
        }
        for micros in instants {
            let ours = RFC3339Time.string(fromMicroseconds: micros)
            let expected = foundationString(microseconds: micros, formatter: formatter)
            #expect(String(ours.prefix(19)) + "Z" == expected, "at \(micros) µs")
            let fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000
            #expect(ours.dropFirst(20).prefix(6) == String(format: "%06lld", fraction))
        }
    }

    @Test(
        "formats known instants exactly",
        arguments: [
            ((1970, 1, 1, 0, 0, 0, 0), "1970-01-01T00:00:00.000000Z"),
            ((2024, 2, 29, 12, 30, 45, 123_456), "2024-02-29T12:30:45.123456Z"),
            ((2000, 2, 29, 23, 59, 59, 999_999), "2000-02-29T23:59:59.999999Z"),
            ((2100, 3, 1, 0, 0, 0, 1), "2100-03-01T00:00:00.000001Z"),
            ((1900, 2, 28, 1, 2, 3, 40), "1900-02-28T01:02:03.000040Z"),
            ((2026, 11, 1, 0, 0, 0, 123), "2026-11-01T00:00:00.000123Z"),
            ((2026, 12, 31, 23, 59, 59, 999_999), "2026-12-31T23:59:59.999999Z"),
            ((9999, 12, 31, 23, 59, 59, 0), "9999-12-31T23:59:59.000000Z"),
        ])
    func knownInstants(civil: (Int, Int, Int, Int, Int, Int, Int), expected: String) {
        let micros = RFC3339Time.microseconds(
            year: civil.0, month: civil.1, day: civil.2, hour: civil.3, minute: civil.4, second: civil.5,
            microsecond: civil.6)
        #expect(RFC3339Time.string(fromMicroseconds: micros) == expected)
    }

    @Test("instants before 1970 round down to the previous second")
    func beforeEpoch() {
        #expect(RFC3339Time.string(fromMicroseconds: -1) == "1969-12-31T23:59:59.999999Z")
        #expect(RFC3339Time.string(fromMicroseconds: -86_400_000_000) == "1969-12-31T00:00:00.000000Z")
    }

    @Test("microseconds(year:…) agrees with Foundation's Gregorian calendar")
    func civilToMicroseconds() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.utc
        for year in stride(from: 1600, through: 2400, by: 7) {
            for month in 1...12 {
                for day in [1, 28, month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28) : 30]
                {
                    let components = DateComponents(year: year, month: month, day: day, hour: 6, minute: 7, second: 8)
                    let date = try #require(calendar.date(from: components))
                    let expected = Int64(date.timeIntervalSince1970.rounded()) * 1_000_000
                    let ours = RFC3339Time.microseconds(
                        year: year, month: month, day: day, hour: 6, minute: 7, second: 8)
                    #expect(ours == expected, "\(year)-\(month)-\(day)")
                }
            }
        }
    }
}
