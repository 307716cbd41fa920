import Hummingbird
import TraceLog
import TraceLogStorage

/// Whether the served log still takes writes: what `GET /healthz` and `GET /readyz` answer and the
/// `tracelog_writer_stopped` gauge shows.
///
/// A failed write or `fdatasync` (a full disk, an I/O error) stops the writer for good: it is never retried,
/// since after a failed fsync the kernel may have dropped the dirty pages. Queries keep working; every ingest
/// gets 503. The operator frees the disk (or replaces it) and restarts `tracelog serve`: reopening recovers the
/// log to its last complete batch, and every acknowledged record is in it.
struct WriterHealth: Sendable {
    /// Why the writer stopped, without the log directory's path (the routes are open to anyone who can connect);
    /// nil while it takes writes.
    let stopReason: String?

    /// Reads the state of `store`'s writer. Cost: one lock of the writer state.
    init(store: WritableTraceStore) {
        guard let reason = store.stopReason else {
            stopReason = nil
            return
        }
        let directory = store.directory.hasSuffix("/") ? store.directory : store.directory + "/"
        stopReason = reason.description.replacingOccurrences(of: directory, with: "")
    }

    /// 200 `{"status":"ok"}`, or 503 `{"status":"writer_stopped","reason":…,"action":…}`.
    var response: Response {
        guard let stopReason else { return .json(.object([("status", .string("ok"))])) }
        return .json(
            .object([
                ("status", .string("writer_stopped")), ("reason", .string(stopReason)),
                (
                    "action",
                    .string(
                        "the log takes no more writes; free disk space or fix the I/O error, then restart "
                            + "tracelog serve (recovery keeps every acknowledged record)")
                ),
            ]), status: .serviceUnavailable)
    }
}
