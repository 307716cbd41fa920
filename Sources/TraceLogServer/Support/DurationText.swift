/// Durations as `tracelog serve` flags spell them: a non-negative decimal number and a unit, `ms`, `s`, `m`,
/// `h` or `d` (`500ms`, `10s`, `1.5h`, `30d`); a bare number is seconds.
public enum DurationText {
    /// The duration `text` spells, or nil.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        var number = Substring(text)
        var scale = 1.0
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.seconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value.isFinite, value >= 0, value * scale < 1e12
        else { return nil }
        return .nanoseconds(Int64((value * scale * 1e9).rounded()))
    }
}
