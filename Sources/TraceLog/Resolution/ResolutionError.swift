public import TraceLogStorage

/// Why an event was rejected by trace resolution. A rejected event writes nothing.
public enum ResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `trace.id` names a trace that does not exist.
    case traceNotFound(TraceID)
    /// A trace-start event names an id that is already taken.
    case traceExists(TraceID)
    /// The cause (or parent) is not in any trace.
    case causeNotFound(EntityRef)
    /// The entity already belongs to another trace than the one the event names.
    case entityInOtherTrace(entity: EntityRef, existing: TraceID, requested: TraceID)
    /// A causation link about an entity that is not in any trace.
    case entityNotFound(EntityRef)
    /// The cause (`caused_by`, `parent`, or a causation link's cause) belongs to another trace than the one the
    /// event joins. `trace` is nil when the event would start a new trace (it carries a tag); `tag` is then that
    /// tag. Causes never cross traces: a trace's projection could not show the link.
    case causeInOtherTrace(cause: EntityRef, causeTrace: TraceID, trace: TraceID?, tag: String?)
    /// A trigger instance whose id is already recorded with a different content (a trigger instance is recorded
    /// once; resending the same content is a no-op). `firstSeq` is the sequence number of the first record;
    /// `inThisBatch` says it is earlier in the same call, so that it has that number only once the call is stored.
    case conflictingDuplicate(entity: EntityRef, firstSeq: UInt64, inThisBatch: Bool)
    /// An OpenTelemetry span (``ResolutionMode/openTelemetry``) whose execution is stored already: a span is
    /// stored once.
    case alreadyStored(EntityRef)

    public var description: String {
        switch self {
        case .traceNotFound(let id): "trace \(id) not found"
        case .traceExists(let id): "trace \(id) already exists"
        case .causeNotFound(let cause): "no trace found for \(cause.type.name) \(cause.id)"
        case .entityInOtherTrace(let entity, let existing, let requested):
            "\(entity.type.name) \(entity.id) already belongs to trace \(existing), not \(requested)"
        case .entityNotFound(let entity): "no trace found for \(entity.type.name) \(entity.id)"
        case .causeInOtherTrace(let cause, let causeTrace, let trace, let tag):
            if let trace {
                "caused_by \(cause.type.name) \(cause.id) belongs to trace \(causeTrace), not \(trace)"
            } else {
                "caused_by \(cause.type.name) \(cause.id) belongs to trace \(causeTrace), not to the new trace "
                    + "tagged \(tag ?? "") (leave out the tag to join trace \(causeTrace))"
            }
        case .conflictingDuplicate(let entity, let firstSeq, let inThisBatch):
            if inThisBatch {
                "\(entity.type.name) \(entity.id) comes earlier in this batch (seq \(firstSeq) once stored) "
                    + "with a different content"
            } else {
                "\(entity.type.name) \(entity.id) is already recorded at seq \(firstSeq) with a different content"
            }
        case .alreadyStored(let entity): "\(entity.type.name) \(entity.id) is already stored (a span is stored once)"
        }
    }
}
