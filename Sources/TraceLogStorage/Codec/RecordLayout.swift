/// The binary layout of one record inside a batch payload (format version 1).
///
/// ```
/// offset size field
///  0     4    body length: bytes after this field (u32 LE)
///  4     1    kind (RecordKind raw value)
///  5     1    failure class (0 = none)
///  6     1    cause type (EntityType raw value, 0 = no cause)
///  7     1    aux: TriggerSource for trigger instances; origin type for trace starts;
///             effect type for causation links; 0 otherwise
///  8     4    attempt (u32 LE; 0 when not an execution)
/// 12     8    time, microseconds since the epoch (i64 LE)
/// 20    16    trace id (high u64 LE, low u64 LE)
/// 36    ...   fields: tag (u8), length (varint), bytes — ascending tag order, each tag at most once
/// ```
/// The fixed part carries everything indexes and projections filter on, so they never parse JSON.
/// Strings are UTF-8; JSON values are stored byte for byte; `durationMs` is an IEEE-754 double (8 bytes LE).
/// Decoders skip field tags they do not know, so later versions can add fields.
enum RecordLayout {
    static let fixedSize = 36
    static let kindOffset = 4
    static let failureOffset = 5
    static let causeTypeOffset = 6
    static let auxOffset = 7
    static let attemptOffset = 8
    static let timeOffset = 12
    static let traceHighOffset = 20
    static let traceLowOffset = 28
    /// The largest record accepted (a record never spans batches; larger ones get a batch of their own).
    static let maximumSize = 64 * 1024 * 1024
}

/// Field tags of a record's variable part (see ``RecordView/field(_:)``). Raw values are on disk and never
/// change meaning.
public enum FieldTag: UInt8, Sendable, CaseIterable {
    /// Entity id (trace start: origin id; causation link: effect id; flow event: entity id).
    case entityID = 1
    /// The id of the cause (its type is in the fixed part).
    case causeID = 2
    /// Trigger ref, rule ref, action ref or flow event name.
    case ref = 3
    /// Trace tag (trace starts).
    case tag = 4
    /// A rule enforcement's rule id.
    case ruleID = 5
    /// A rule enforcement's trigger instance.
    case triggerInstanceID = 6
    /// The execution a rule enforcement started.
    case executionID = 7
    /// An execution attempt's run id.
    case runID = 8
    /// An execution attempt's status.
    case status = 9
    /// An execution's parent execution.
    case parent = 10
    /// The execution an execution re-runs.
    case rerunOf = 11
    /// Payload, input or details (JSON).
    case primaryJSON = 12
    /// Output (JSON).
    case output = 13
    /// An attempt's duration in milliseconds (8-byte IEEE-754 double; see ``RecordView/durationMs``).
    case durationMs = 14
    /// An attempt's failure message.
    case failureMessage = 15
    /// A webhook trigger instance's hook.
    case hook = 16
    /// A timer trigger instance's timer.
    case timer = 17
    /// A flow event's node.
    case node = 18
    /// The OpenTelemetry remainder of an execution attempt that came from an OTLP span (JSON): what the other
    /// fields do not hold (kind, nanosecond times, attributes, events, links, status, resource, scope). Added
    /// after format version 1 shipped; records without it encode exactly as before.
    case otlp = 19
}
