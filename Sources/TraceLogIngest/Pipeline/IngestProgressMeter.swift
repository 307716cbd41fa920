/// Turns an ingest's running totals into a progress line: events, events per second, bytes read and, when the
/// input's size is known, an estimate of the time left.
///
/// `2,400,000 events · 612k events/s · 281 MB of 1.2 GB · ETA 0:14`
public struct IngestProgressMeter: Sendable {
    /// The input's size in bytes, when known (a regular file).
    public let totalBytes: Int?
    private let start: ContinuousClock.Instant

    /// Starts measuring now.
    public init(totalBytes: Int?, start: ContinuousClock.Instant = .now) {
        self.totalBytes = totalBytes
        self.start = start
    }

    /// The progress line for `summary` at `now`.
    public func line(for summary: IngestSummary, now: ContinuousClock.Instant = .now) -> String {
        let seconds = max(Self.seconds(now - start), 0.001)
        let events = summary.ingested + summary.rejected
        var parts = [
            "\(Self.grouped(events)) events", "\(Self.compact(Double(events) / seconds)) events/s",
        ]
        if let totalBytes, totalBytes > 0 {
            parts.append("\(Self.bytes(summary.bytesRead)) of \(Self.bytes(totalBytes))")
            let rate = Double(summary.bytesRead) / seconds
            if rate > 0, summary.bytesRead < totalBytes {
                parts.append("ETA \(Self.clock(Double(totalBytes - summary.bytesRead) / rate))")
            }
        } else {
            parts.append("\(Self.bytes(summary.bytesRead)) read")
        }
        return parts.joined(separator: " · ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// `612k`, `1.2M`.
    static func compact(_ value: Double) -> String {
        switch value {
        case ..<1_000: String(Int(value))
        case ..<1_000_000: "\(Int(value / 1_000))k"
        default: "\(Int(value / 100_000).formattedTenths)M"
        }
    }

    /// `281 MB`, `1.2 GB` (decimal units).
    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1_000: "\(count) B"
        case ..<1_000_000: "\(count / 1_000) kB"
        case ..<1_000_000_000: "\(count / 1_000_000) MB"
        default: "\((count / 100_000_000).formattedTenths) GB"
        }
    }

    /// `0:14`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let tail = (rest < 10 ? "0" : "") + String(rest)
        if hours > 0 { return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(tail)" }
        return "\(minutes):\(tail)"
    }
}

extension Int {
    /// A count of tenths as `12.3`.
    fileprivate var formattedTenths: String { "\(self / 10).\(self % 10)" }
}
