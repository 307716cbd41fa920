public import TraceLogStorage

/// One event as the sinks see it: Selinon's trace model (an event name and its details) with a sequence
/// number and a UTC timestamp.
public struct SinkEvent: Hashable, Sendable {
    /// Increases by one per event recorded by one ``TraceRecorder``, from 0.
    public var sequence: UInt64
    /// When it was recorded (UTC).
    public var time: Timestamp
    /// The Selinon event name, e.g. `TASK_FAILURE`.
    public var event: String
    /// The details object, JSON.
    public var details: RawJSON
    /// The entity the event concerns (dispatcher or task id), if any.
    public var entityID: String?

    /// Creates an event (recorders number and time them; this is for sinks' tests and adapters).
    public init(sequence: UInt64, time: Timestamp, event: String, details: RawJSON, entityID: String? = nil) {
        self.sequence = sequence
        self.time = time
        self.event = event
        self.details = details
        self.entityID = entityID
    }

    /// How loud the event is: dispatcher failures are errors, failures and retries warnings, the rest info.
    public var severity: Severity { Severity(event: event) }

    /// Severity by event name (Selinon's levels).
    public enum Severity: String, Sendable, Comparable {
        case info, warning, error

        init(event: String) {
            if event.hasPrefix("DISPATCHER_") && event.hasSuffix("FAILURE") {
                self = .error
            } else if event.hasSuffix("_FAILURE") || event.hasSuffix("_RETRY") || event.contains("ISSUE")
                || event.hasSuffix("_ERROR")
            {
                self = .warning
            } else {
                self = .info
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .error]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// `{"details":…,"event":…,"sequence":…,"time":…}` — Selinon's JSON sink shape plus the sequence number.
    public var jsonLine: String {
        var line = #"{"details":"# + details.text + #","event":"#
        JSONValue.writeString(event, to: &line)
        line += #","sequence":\#(sequence),"time":"\#(time)"}"#
        return line
    }
}

/// Where recorded events go. A sink may throw; the recorder reports it and carries on with the other sinks.
public protocol TraceSink: Sendable {
    /// Delivers one event.
    func receive(_ event: SinkEvent) async throws
}
