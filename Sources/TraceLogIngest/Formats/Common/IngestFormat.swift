public import TraceLog

/// The input formats `tracelog ingest --format` reads.
public enum IngestFormat: String, Hashable, Sendable, CaseIterable {
    /// TraceLog's native JSON lines (see <doc:NativeEventFormat>).
    case native
    /// A Stroma run as its `to_json()` prints it: one JSON array of attempts.
    case stroma
    /// Selinon trace output: JSON-sink lines or logging-sink lines, one event per line.
    case selinon
    /// StackStorm traces as `st2 trace get -j` or `GET /api/v1/traces` print them: one object or an array.
    case st2
    /// OpenTelemetry OTLP/JSON: one `ExportTraceServiceRequest` per line, as the Collector's file exporter writes
    /// (read by the TraceLogOTLP module's importer).
    case otlp

    /// Whether the format is read line by line (streaming); the others are read as one whole JSON document.
    public var isLineBased: Bool { self == .native || self == .selinon || self == .otlp }
}

/// One event converted from a foreign input, with where it came from (for error messages after trace resolution).
public struct ImportedEvent: Hashable, Sendable {
    /// The event to ingest.
    public var event: IncomingEvent
    /// The line or element it was converted from.
    public var location: ImportLocation

    /// Pairs an event with its source location.
    public init(_ event: IncomingEvent, at location: ImportLocation) {
        self.event = event
        self.location = location
    }
}
