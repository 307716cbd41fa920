public import TraceLogStorage

/// The trace an incoming event names, if any (`trace` in the native format, `St2-Trace-Tag` on webhooks).
public struct TraceContext: Hashable, Sendable {
    /// An existing trace to join (or, for a trace-start event, the id to create).
    public var id: TraceID?
    /// A tag: starts a new trace carrying it (tags are not unique).
    public var tag: String?

    /// Creates a context.
    @inlinable
    public init(id: TraceID? = nil, tag: String? = nil) {
        self.id = id
        self.tag = tag
    }
}

/// How trace resolution treats an event: SPEC §2 as written, or its one exception, OpenTelemetry spans.
public enum ResolutionMode: Hashable, Sendable {
    /// SPEC §2: a `trace.id` must name an existing trace, and a cause must be traced already.
    case standard
    /// An OpenTelemetry span (OTLP, or a native execution line carrying `otlp`), whose spans arrive in any order
    /// (children before parents, over many requests). With a `trace.id`, the id is authoritative:
    /// - a trace it names that does not exist yet is created, tagged `trace.tag`, instead of being rejected;
    /// - the cause (the parent span) need not have arrived; the link is whole once it does;
    /// - the entity (the span) must not be stored yet: a span is one attempt, so a second copy of it (an
    ///   exporter's retry) is rejected as a duplicate instead of becoming a second attempt.
    ///
    /// Without a `trace.id` the event resolves as ``standard``.
    case openTelemetry
}

/// One event before trace resolution: what happened, when, and which trace it names.
///
/// ``TraceResolver`` turns it into records with a trace id (plus a trace-start record when it starts a trace).
public struct IncomingEvent: Hashable, Sendable {
    /// What happened. `.traceStart` means "create this trace" (used by replay to keep trace ids).
    public var body: RecordBody
    /// When it happened; nil means "now".
    public var time: Timestamp?
    /// The trace it names, if any.
    public var trace: TraceContext?
    /// How trace resolution treats it.
    public var mode: ResolutionMode

    /// Creates an event.
    @inlinable
    public init(body: RecordBody, time: Timestamp? = nil, trace: TraceContext? = nil, mode: ResolutionMode = .standard)
    {
        self.body = body
        self.time = time
        self.trace = trace
        self.mode = mode
    }
}

extension IncomingEvent {
    /// Its body, moved out of it (the resolver's path into a ``TraceLogStorage/Record``, with no copy), leaving an
    /// empty trace-start body behind.
    mutating func takeBody() -> RecordBody {
        var taken = RecordBody.traceStart(TraceStart(tag: ""))
        swap(&taken, &body)
        return taken
    }
}

extension RecordBody {
    /// The entity this record is about (rule 4 of trace resolution: an entity belongs to one trace).
    public var entity: EntityRef? {
        switch self {
        case .traceStart: nil
        case .triggerInstance(let instance): EntityRef(type: .triggerInstance, id: instance.id)
        case .ruleEnforcement(let enforcement): EntityRef(type: .rule, id: enforcement.id)
        case .executionAttempt(let attempt): EntityRef(type: .execution, id: attempt.id)
        case .causationLink(let link): link.entity
        case .flowEvent(let event): event.entityID.map { EntityRef(type: .execution, id: $0) }
        }
    }

    /// The entity that caused this one: the explicit `caused_by`, else the implied one (a rule enforcement's
    /// trigger instance, a workflow child's parent execution).
    public var cause: EntityRef? {
        switch self {
        case .traceStart, .flowEvent: nil
        case .triggerInstance(let instance): instance.causedBy
        case .ruleEnforcement(let enforcement):
            enforcement.causedBy ?? EntityRef(type: .triggerInstance, id: enforcement.triggerInstanceID)
        case .executionAttempt(let attempt):
            attempt.causedBy ?? attempt.parent.map { EntityRef(type: .execution, id: $0) }
        case .causationLink(let link): link.causedBy
        }
    }
}

/// What trace resolution reads of an event's body — its kind, its entity (hashed) and its cause — read in one
/// pass: each `switch` over a body copies the whole body (a few hundred bytes) to reach a payload, and each
/// ``RecordBody/entity`` or ``RecordBody/cause`` builds a reference that retains its id.
struct BodyFacts {
    /// The body's kind.
    var kind: RecordKind
    /// ``RecordBody/entity``, with its key hash.
    var entity: EntityKey?
    /// ``RecordBody/cause``.
    var cause: EntityRef?

    /// The facts of `body` (built in one expression per case: assigning the fields one by one copied the whole
    /// value once more on return).
    static func of(_ body: borrowing RecordBody) -> BodyFacts {
        switch body {
        case .traceStart:
            return BodyFacts(kind: .traceStart, entity: nil, cause: nil)
        case .triggerInstance(let instance):
            return BodyFacts(
                kind: .triggerInstance, entity: EntityKey(EntityRef(type: .triggerInstance, id: instance.id)),
                cause: instance.causedBy)
        case .ruleEnforcement(let enforcement):
            return BodyFacts(
                kind: .ruleEnforcement, entity: EntityKey(EntityRef(type: .rule, id: enforcement.id)),
                cause: enforcement.causedBy ?? EntityRef(type: .triggerInstance, id: enforcement.triggerInstanceID))
        case .executionAttempt(let attempt):
            return BodyFacts(
                kind: .executionAttempt, entity: EntityKey(EntityRef(type: .execution, id: attempt.id)),
                cause: attempt.causedBy ?? attempt.parent.map { EntityRef(type: .execution, id: $0) })
        case .causationLink(let link):
            return BodyFacts(kind: .causationLink, entity: EntityKey(link.entity), cause: link.causedBy)
        case .flowEvent(let event):
            return BodyFacts(
                kind: .flowEvent, entity: event.entityID.map { EntityKey(EntityRef(type: .execution, id: $0)) },
                cause: nil)
        }
    }
}
