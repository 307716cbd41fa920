public import TraceLogStorage

/// One parsed line of the native event format: what happened, when, and which trace it asks to join.
///
/// The parser does not resolve traces (SPEC §2); it only carries what the line said.
public struct NativeEvent: Sendable, Hashable {
    /// The fact the line describes. A `trace` line becomes ``RecordBody/traceStart(_:)`` (its id is in
    /// ``trace``); a `causation_link` line becomes ``RecordBody/causationLink(_:)``.
    public var body: RecordBody
    /// When it happened; nil when the line has no `time`, meaning "the time of ingest".
    public var time: Timestamp?
    /// The line's `trace` object; for a `trace` line, the id of the trace it creates (tag nil: the tag is in the
    /// body). Nil when the line names no trace.
    public var trace: TraceContext?

    /// Creates an event.
    public init(body: RecordBody, time: Timestamp? = nil, trace: TraceContext? = nil) {
        self.body = body
        self.time = time
        self.trace = trace
    }
}

/// The `trace` object of a line: the trace to join (by id) or to start (by tag). At least one is set.
public struct TraceContext: Sendable, Hashable {
    /// The trace to join; it wins over ``tag`` when both are given.
    public var id: TraceID?
    /// The tag of a new trace to start; nil when absent or empty.
    public var tag: String?

    /// Creates a context.
    public init(id: TraceID? = nil, tag: String? = nil) {
        self.id = id
        self.tag = tag
    }
}
