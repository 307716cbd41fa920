public import Logging
import Synchronization
public import TraceLogStorage

/// Fans each event out to any number of sinks (Selinon's `Trace` with several trace functions).
///
/// Sinks run one after another in the order given; a sink that throws is reported through the recorder's
/// swift-log logger and skipped, and the other sinks still receive the event. The event is never lost because a
/// sink failed: put a ``LogSink`` first to store it durably before anything else runs.
public final class TraceRecorder: Sendable {
    private let sinks: [any TraceSink]
    private let logger: Logger
    private let sequence = Mutex<UInt64>(0)

    /// Creates a recorder; `logger` receives sink failures.
    public init(sinks: [any TraceSink], logger: Logger = Logger(label: "tracelog.recorder")) {
        self.sinks = sinks
        self.logger = logger
    }

    /// Records one event; returns it as the sinks saw it. Failures of individual sinks are reported, not thrown.
    @discardableResult
    public func record(_ event: String, details: RawJSON = .emptyObject, entityID: String? = nil) async -> SinkEvent {
        let number = sequence.withLock { value in
            defer { value += 1 }
            return value
        }
        let sinkEvent = SinkEvent(sequence: number, time: .now(), event: event, details: details, entityID: entityID)
        for (index, sink) in sinks.enumerated() {
            do {
                try await sink.receive(sinkEvent)
            } catch {
                logger.error(
                    "trace sink failed; skipped",
                    metadata: [
                        "sink": "\(index): \(type(of: sink))", "event": "\(event)", "sequence": "\(number)",
                        "error": "\(error)",
                    ])
            }
        }
        return sinkEvent
    }
}
