import Logging
import ServiceLifecycle
import TraceLog

/// Closes the store (a final `fdatasync`, then the writer lock is released) when the service group shuts down.
///
/// It is listed before the HTTP server, and a service group shuts its services down in reverse order, so the
/// server has stopped and finished its requests in flight before the store is closed.
struct StoreShutdownService: Service {
    let store: WritableTraceStore
    let logger: Logger

    func run() async throws {
        // Returns on graceful shutdown; throws on cancellation. Either way the store is closed.
        try? await gracefulShutdown()
        do {
            try store.close()
            logger.info("log \(store.directory) flushed and closed")
        } catch {
            logger.error("closing log \(store.directory) failed: \(error)")
        }
    }
}
