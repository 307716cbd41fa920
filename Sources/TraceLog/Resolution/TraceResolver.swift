import TraceLogStorage

/// Decides which trace each incoming event joins (SPEC §2), producing the records to append.
///
/// In order: (1) `trace.id` joins that trace, which must exist; (2) an entity that is already in a trace stays
/// in it — a later attempt of an execution never lands in a second trace (**fix** of StackStorm), so its tag is
/// ignored and a cause or id pointing elsewhere is rejected; (3) `trace.tag` starts a new trace, even if the tag
/// is taken; (4) a cause or parent joins its trace, and must be traced; (5) anything else starts a new trace
/// with an automatic tag. New traces get a trace-start record just before the event's record.
///
/// Lookups go to the events accepted earlier in the same call, then to a bounded cache (``ResolutionCache``),
/// then to the log's memory-mapped indexes.
struct TraceResolver {
    /// Looks up an entity's trace in the log (nil when not traced).
    let lookupEntity: (EntityRef) throws(LogError) -> TraceID?
    /// Whether a trace exists in the log.
    let lookupTrace: (TraceID) throws(LogError) -> Bool
    /// Resolution results of earlier calls (entities and traces never move, so caching is always valid).
    var cache: ResolutionCache

    /// What the events resolved so far turned into: the records to append, and what they introduce.
    struct Outcome {
        var records: [Record] = []
        /// Entities and traces introduced by the accepted events, to remember once they are written.
        var newEntities: [EntityRef: TraceID] = [:]
        var newTraces: Set<TraceID> = []
        /// The keys added to `newEntities` / `newTraces`, in order, so that a rejected unit or request can be
        /// taken out again (``rollback(to:)``).
        private var entityJournal: [EntityRef] = []
        private var traceJournal: [TraceID] = []

        /// A point to roll back to.
        struct Mark: Hashable, Sendable {
            var records: Int
            var entities: Int
            var traces: Int
        }

        var mark: Mark { Mark(records: records.count, entities: entityJournal.count, traces: traceJournal.count) }

        /// Takes out everything resolved after `mark`.
        mutating func rollback(to mark: Mark) {
            records.removeSubrange(mark.records...)
            for entity in entityJournal[mark.entities...] { newEntities[entity] = nil }
            for trace in traceJournal[mark.traces...] { newTraces.remove(trace) }
            entityJournal.removeSubrange(mark.entities...)
            traceJournal.removeSubrange(mark.traces...)
        }

        mutating func introduce(_ entity: EntityRef, in trace: TraceID) {
            guard newEntities[entity] == nil else { return }
            newEntities[entity] = trace
            entityJournal.append(entity)
        }

        mutating func introduce(trace: TraceID) {
            if newTraces.insert(trace).inserted { traceJournal.append(trace) }
        }

        /// Empties it, keeping capacity (after its records were written and remembered).
        mutating func reset() {
            records.removeAll(keepingCapacity: true)
            newEntities.removeAll(keepingCapacity: true)
            newTraces.removeAll(keepingCapacity: true)
            entityJournal.removeAll(keepingCapacity: true)
            traceJournal.removeAll(keepingCapacity: true)
        }
    }

    /// How one event of an accepted unit was resolved.
    struct Resolved {
        /// The trace it joined (or started).
        var traceID: TraceID
        /// The index in ``Outcome/records`` of its own record (of its trace-start record for a `.traceStart`).
        var recordIndex: Int
    }

    /// Resolves one all-or-nothing unit of events (a line, a document element, a request's event) into `outcome`,
    /// appending one ``Resolved`` per event to `resolved`.
    ///
    /// Events may depend on earlier events of the unit and of earlier units. If any event is rejected, nothing
    /// of the unit stays in `outcome` or `resolved`, and the index of the first rejected event and its error
    /// are returned.
    mutating func resolve(
        unit events: some Collection<IncomingEvent>, now: Timestamp, into outcome: inout Outcome,
        resolved: inout [Resolved]
    ) throws(LogError) -> (event: Int, error: ResolutionError)? {
        let mark = outcome.mark
        let resolvedBefore = resolved.count
        for (index, event) in events.enumerated() {
            let time = event.time ?? now
            switch try resolve(event, time: time, outcome: outcome) {
            case .failure(let error):
                outcome.rollback(to: mark)
                resolved.removeSubrange(resolvedBefore...)
                return (index, error)
            case .success(let (traceID, start)):
                if let start {
                    outcome.records.append(Record(time: time, traceID: traceID, body: .traceStart(start)))
                    outcome.introduce(trace: traceID)
                }
                if case .traceStart = event.body {
                    resolved.append(Resolved(traceID: traceID, recordIndex: outcome.records.count - 1))
                    continue
                }
                resolved.append(Resolved(traceID: traceID, recordIndex: outcome.records.count))
                outcome.records.append(Record(time: time, traceID: traceID, body: event.body))
                if let entity = event.body.entity { outcome.introduce(entity, in: traceID) }
            }
        }
        return nil
    }

    /// Remembers what a written outcome introduced, so later units resolve against it without the indexes.
    mutating func absorb(_ outcome: Outcome) {
        for (entity, trace) in outcome.newEntities { cache.remember(entity, in: trace) }
        for trace in outcome.newTraces { cache.remember(trace: trace) }
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
            guard try traceExists(id, outcome) else { return .failure(.traceNotFound(id)) }
            if let entity, let existing, existing != id {
                return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: id))
            }
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
        if let cached = cache.trace(of: entity) { return cached }
        guard let found = try lookupEntity(entity) else { return nil }
        cache.remember(entity, in: found)
        return found
    }

    private mutating func traceExists(_ id: TraceID, _ outcome: Outcome) throws(LogError) -> Bool {
        if outcome.newTraces.contains(id) || cache.knows(trace: id) { return true }
        guard try lookupTrace(id) else { return false }
        cache.remember(trace: id)
        return true
    }
}
