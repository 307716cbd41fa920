import Foundation
import Synchronization
import TraceLogIngest

/// The progress line of `tracelog ingest` on stderr: rewritten in place, at most ten times a second.
final class ProgressLine: Sendable {
    private let meter: IngestProgressMeter
    private let lastShown = Mutex<ContinuousClock.Instant?>(nil)

    init(totalBytes: Int?) {
        meter = IngestProgressMeter(totalBytes: totalBytes)
    }

    func show(_ summary: IngestSummary) {
        let now = ContinuousClock.now
        let due = lastShown.withLock { last in
            if let last, now - last < .milliseconds(100) { return false }
            last = now
            return true
        }
        if due { FileHandle.standardError.write(Data(("\r\u{1B}[K" + meter.line(for: summary, now: now)).utf8)) }
    }

    /// Erases the progress line, if one was shown, before the closing output.
    static func clear(if shown: Bool) {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
