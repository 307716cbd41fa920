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
        case .alreadyStored(let entity): "\(entity.type.name) \(entity.id) is already stored (a span is stored once)"
        }
    }
}
