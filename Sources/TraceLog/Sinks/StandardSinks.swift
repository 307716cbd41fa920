public import Foundation
public import Logging
import TraceLogStorage

/// Stores each event in the log as a flow-event record (through trace resolution: it joins the trace of its
/// entity, or starts one).
public struct LogSink: TraceSink {
    private let store: WritableTraceStore

    /// Creates a sink that writes to `store`.
    public init(store: WritableTraceStore) {
        self.store = store
    }

    public func receive(_ event: SinkEvent) async throws {
        let body = RecordBody.flowEvent(FlowEvent(event: event.event, entityID: event.entityID, details: event.details))
        let result = try await store.ingest([IncomingEvent(body: body, time: event.time)], atomic: true)
        if let rejection = result.rejected.first { throw rejection.error }
    }
}

/// Logs each event through swift-log: dispatcher failures as errors, failures and retries as warnings, the
/// rest as info.
public struct LoggerSink: TraceSink {
    private let logger: Logger

    /// Creates a sink that logs to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func receive(_ event: SinkEvent) async throws {
        let level: Logger.Level =
            switch event.severity {
            case .error: .error
            case .warning: .warning
            case .info: .info
            }
        logger.log(
            level: level, "\(event.event)",
            metadata: ["details": "\(event.details.text)", "sequence": "\(event.sequence)", "time": "\(event.time)"])
    }
}

/// Writes each event as one JSON line: warnings and errors to one handle (stderr), the rest to another (stdout).
public struct JSONLinesSink: TraceSink {
    private let standard: FileHandle
    private let warnings: FileHandle

    /// Creates a sink; by default info to stdout, warnings and errors to stderr (Selinon's JSON sink).
    public init(standard: FileHandle = .standardOutput, warnings: FileHandle = .standardError) {
        self.standard = standard
        self.warnings = warnings
    }

    public func receive(_ event: SinkEvent) async throws {
        let handle = event.severity >= .warning ? warnings : standard
        try handle.write(contentsOf: Data((event.jsonLine + "\n").utf8))
    }
}

/// Calls a closure with each event.
public struct ClosureSink: TraceSink {
    private let body: @Sendable (SinkEvent) async throws -> Void

    /// Creates a sink around `body`.
    public init(_ body: @escaping @Sendable (SinkEvent) async throws -> Void) {
        self.body = body
    }

    public func receive(_ event: SinkEvent) async throws {
        try await body(event)
    }
}
