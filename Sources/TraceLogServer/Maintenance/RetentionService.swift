import Logging
import ServiceLifecycle
import TraceLog
import TraceLogStorage

/// `serve --retention`: every `interval`, deletes the segments whose records are all older than `retention`
/// ago (``TraceLog/WritableTraceStore/purge(before:)``), while the server keeps serving.
///
/// Listed after the store's shutdown service, so it stops before the store closes. A failed pass is logged and
/// retried at the next interval (a stopped writer makes every later pass fail too, and `/healthz` says why).
struct RetentionService: Service {
    let store: WritableTraceStore
    let retention: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await purgeOnce()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return  // graceful shutdown
        }
    }

    /// One retention pass.
    func purgeOnce() async {
        let cutoff = Timestamp(microseconds: Timestamp.now().microseconds - Self.microseconds(retention))
        do {
            let result = try await store.purge(before: cutoff)
            guard !result.deletedSegments.isEmpty else { return }
            let message =
                "retention: \(result.deletedSegments.count) segments (\(result.deletedRecords) records) older than "
                + "\(cutoff) deleted, \(result.carriedTraceStarts) trace starts carried; the log starts at "
                + "seq \(result.startSeq)"
            logger.info("\(message)")
        } catch {
            logger.error("retention failed: \(error)")
        }
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
