import TraceLogStorage

/// Decides which trace each incoming event joins (SPEC §2), producing the records to append.
///
/// In order: (1) `trace.id` joins that trace, which must exist; (2) an entity that is already in a trace stays
/// in it — a later attempt of an execution never lands in a second trace (**fix** of StackStorm), so its tag is
/// ignored and a cause or id pointing elsewhere is rejected; (3) `trace.tag` starts a new trace, even if the tag
/// is taken; (4) a cause or parent joins its trace, and must be traced; (5) anything else starts a new trace
/// with an automatic tag. New traces get a trace-start record just before the event's record.
///
/// Lookups go to the events accepted earlier in the same call, then to a cache, then to the log's indexes.
struct TraceResolver {
    /// Looks up an entity's trace in the log (nil when not traced).
    let lookupEntity: (EntityRef) throws(LogError) -> TraceID?
    /// Whether a trace exists in the log.
    let lookupTrace: (TraceID) throws(LogError) -> Bool
    /// Resolution results of earlier calls (entities and traces never move, so caching is always valid).
    var cache: ResolutionCache

    struct Outcome {
        var records: [Record] = []
        var rejected: [(index: Int, error: ResolutionError)] = []
        /// Entities and traces introduced by the accepted events, to remember once they are written.
        var newEntities: [EntityRef: TraceID] = [:]
        var newTraces: Set<TraceID> = []
    }

    /// Resolves a batch. Events may depend on earlier events of the same batch; a rejected event's entity is not
    /// known to later ones.
    mutating func resolve(_ events: [IncomingEvent], now: Timestamp) throws(LogError) -> Outcome {
        var outcome = Outcome()
        for (index, event) in events.enumerated() {
            let time = event.time ?? now
            switch try resolve(event, time: time, outcome: outcome) {
            case .failure(let error):
                outcome.rejected.append((index, error))
            case .success(let (traceID, start)):
                if let start {
                    outcome.records.append(Record(time: time, traceID: traceID, body: .traceStart(start)))
                    outcome.newTraces.insert(traceID)
                }
                if case .traceStart = event.body { continue }
                outcome.records.append(Record(time: time, traceID: traceID, body: event.body))
                if let entity = event.body.entity, outcome.newEntities[entity] == nil, cache.entities[entity] == nil {
                    outcome.newEntities[entity] = traceID
                }
            }
        }
        return outcome
    }

    /// The trace an event joins, and the trace-start to write first when it starts one.
    private mutating func resolve(_ event: IncomingEvent, time: Timestamp, outcome: Outcome) throws(LogError)
        -> Result<(TraceID, TraceStart?), ResolutionError>
    {
        let entity = event.body.entity
        if case .traceStart(let start) = event.body {
            let id = event.trace?.id ?? TraceID.random()
            if try traceExists(id, outcome) { return .failure(.traceExists(id)) }
            return .success((id, start))
        }
        let existing = try entity.flatMap { (entity) throws(LogError) in try trace(of: entity, outcome) }
        if let id = event.trace?.id {
            guard try traceExists(id, outcome) else {
                // OpenTelemetry: the trace id is authoritative; its first span creates the trace.
                guard event.mode == .openTelemetry else { return .failure(.traceNotFound(id)) }
                if let entity, let existing {
                    return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: id))
                }
                return .success((id, TraceStart(tag: event.trace?.tag ?? "trace-\(id)", origin: entity)))
            }
            if let entity, let existing, existing != id {
                return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: id))
            }
            if event.mode == .openTelemetry, let entity, existing != nil { return .failure(.alreadyStored(entity)) }
            return .success((id, nil))
        }
        let cause = event.body.cause
        if case .causationLink = event.body {
            guard let entity, let existing else { return .failure(.entityNotFound(event.body.entity!)) }
            _ = entity
            return .success((existing, nil))
        }
        if let existing {
            if let cause, let causeTrace = try trace(of: cause, outcome), causeTrace != existing, let entity {
                return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: causeTrace))
            }
            return .success((existing, nil))
        }
        if let tag = event.trace?.tag {
            return .success((TraceID.random(), TraceStart(tag: tag, origin: entity)))
        }
        if let cause {
            guard let causeTrace = try trace(of: cause, outcome) else { return .failure(.causeNotFound(cause)) }
            return .success((causeTrace, nil))
        }
        return .success((TraceID.random(), TraceStart(tag: Self.automaticTag(for: event.body), origin: entity)))
    }

    /// SPEC §2 rule 5: `execution-<id>`, `trigger_instance-<id>`, `webhook-<hook>-<32 hex>`, `<timer type>-<name>`.
    static func automaticTag(for body: RecordBody) -> String {
        switch body {
        case .triggerInstance(let instance):
            switch instance.source {
            case .webhook: return "webhook-\(instance.hook ?? instance.trigger)-\(TraceID.random())"
            case .timer: return "\(instance.trigger)-\(instance.timer ?? instance.id)"
            default: return "trigger_instance-\(instance.id)"
            }
        case .executionAttempt(let attempt): return "execution-\(attempt.id)"
        case .ruleEnforcement(let enforcement): return "rule-\(enforcement.id)"
        case .flowEvent(let event): return "flow-\(event.entityID ?? event.event)"
        case .traceStart(let start): return start.tag
        case .causationLink(let link): return "\(link.entity.type.name)-\(link.entity.id)"
        }
    }

    private mutating func trace(of entity: EntityRef, _ outcome: Outcome) throws(LogError) -> TraceID? {
        if let pending = outcome.newEntities[entity] { return pending }
        if let cached = cache.entities[entity] { return cached }
        guard let found = try lookupEntity(entity) else { return nil }
        cache.remember(entity, in: found)
        return found
    }

    private mutating func traceExists(_ id: TraceID, _ outcome: Outcome) throws(LogError) -> Bool {
        if outcome.newTraces.contains(id) || cache.traces.contains(id) { return true }
        guard try lookupTrace(id) else { return false }
        cache.remember(trace: id)
        return true
    }
}

/// What resolution learned, kept between calls: entity → trace and known traces. Bounded: it is dropped
/// wholesale when it grows past `limit` entries, since everything in it can be looked up again.
struct ResolutionCache: Sendable {
    var entities: [EntityRef: TraceID] = [:]
    var traces: Set<TraceID> = []
    var limit = 2_000_000

    mutating func remember(_ entity: EntityRef, in trace: TraceID) {
        if entities.count >= limit { entities.removeAll(keepingCapacity: true) }
        entities[entity] = trace
    }

    mutating func remember(trace: TraceID) {
        if traces.count >= limit { traces.removeAll(keepingCapacity: true) }
        traces.insert(trace)
    }

    mutating func absorb(_ outcome: TraceResolver.Outcome) {
        for (entity, trace) in outcome.newEntities { remember(entity, in: trace) }
        for trace in outcome.newTraces { remember(trace: trace) }
    }
}
