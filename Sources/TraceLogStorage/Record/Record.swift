/// One immutable fact in the log (SPEC §1): when it happened, which trace it belongs to, and what it says.
///
/// Records are appended once and never changed. The log assigns each a dense sequence number (`seq`);
/// see ``StoredRecord``.
public struct Record: Hashable, Sendable {
    /// When the fact happened (UTC, microseconds).
    public var time: Timestamp
    /// The trace the record belongs to.
    public var traceID: TraceID
    /// The fact itself.
    public var body: RecordBody

    /// Creates a record.
    public init(time: Timestamp, traceID: TraceID, body: RecordBody) {
        self.time = time
        self.traceID = traceID
        self.body = body
    }

    /// The record's kind.
    public var kind: RecordKind { body.kind }
}

/// A record together with the sequence number the log gave it.
public struct StoredRecord: Hashable, Sendable {
    /// The log sequence number: dense, increasing from 0.
    public var seq: UInt64
    /// The record.
    public var record: Record

    /// Pairs a record with its sequence number.
    public init(seq: UInt64, record: Record) {
        self.seq = seq
        self.record = record
    }
}

/// The kinds of record; the raw value is the on-disk kind byte and never changes.
public enum RecordKind: UInt8, Hashable, Sendable, CaseIterable {
    /// A trace was created (its id, tag and origin).
    case traceStart = 1
    /// A trigger instance was dispatched.
    case triggerInstance = 2
    /// A rule matched a trigger instance.
    case ruleEnforcement = 3
    /// An execution attempt (or status change) happened.
    case executionAttempt = 4
    /// A causation link recorded on its own, after the entity it explains.
    case causationLink = 5
    /// A Selinon flow event.
    case flowEvent = 6
}

/// The content of a record, one case per ``RecordKind``.
///
/// The three large bodies (an execution attempt is about 230 bytes of fields) are stored in a box (`indirect`),
/// so a body is a pointer wide and moving or copying an event on the ingest path costs one reference count
/// instead of a copy of every field: 1,000 fewer instructions per ingested event at the cost of one allocation
/// (BENCHMARKS.md, session 8).
public enum RecordBody: Hashable, Sendable {
    case traceStart(TraceStart)
    indirect case triggerInstance(TriggerInstance)
    indirect case ruleEnforcement(RuleEnforcement)
    indirect case executionAttempt(ExecutionAttempt)
    case causationLink(CausationLink)
    case flowEvent(FlowEvent)

    /// The kind of this body.
    public var kind: RecordKind {
        switch self {
        case .traceStart: .traceStart
        case .triggerInstance: .triggerInstance
        case .ruleEnforcement: .ruleEnforcement
        case .executionAttempt: .executionAttempt
        case .causationLink: .causationLink
        case .flowEvent: .flowEvent
        }
    }
}
