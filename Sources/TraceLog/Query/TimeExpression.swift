public import TraceLogStorage

/// A time as users write it for `--since`, `--until` and `--before` (and the `since`/`until` query parameters):
/// an RFC 3339 time (`2026-11-22T10:00:00Z`), a date (`2026-11-01`: its midnight, UTC), or a time ago (`30m`,
/// `1h`, `7d`: a number and one of `s`, `m`, `h`, `d`, `w`, counted back from now).
///
/// One parser for every adapter, so the CLI and the server accept the same text. Cost: O(length).
public enum TimeExpression {
    /// What an error says the text may be.
    public static let expected =
        "an RFC 3339 time like 2026-11-22T10:00:00Z, a date like 2026-11-22, or a time ago like 30m, 1h or 7d"

    /// The time `text` names, relative times counted back from `now`; nil when it is none of the three forms.
    public static func parse(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        if let time = Timestamp(rfc3339: text) { return time }
        if let date = date(text) { return date }
        return ago(text).map { Timestamp(microseconds: now.microseconds - $0) }
    }

    /// `YYYY-MM-DD` as its midnight UTC.
    static func date(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        return Timestamp(rfc3339: text + "T00:00:00Z")
    }

    /// `<digits><unit>` as microseconds; units `s`, `m`, `h`, `d`, `w`.
    static func ago(_ text: String) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (micros, overflow) = count.multipliedReportingOverflow(by: seconds * 1_000_000)
        return overflow ? nil : micros
    }
}
