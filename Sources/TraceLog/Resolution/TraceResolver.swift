import TraceLogStorage

/// Decides which trace each incoming event joins (SPEC §2), producing the records to append.
///
/// In order: (1) `trace.id` joins that trace, which must exist; (2) an entity that is already in a trace stays
/// in it — a later attempt of an execution never lands in a second trace (**fix** of StackStorm), so its tag is
/// ignored and a cause or id pointing elsewhere is rejected; (3) `trace.tag` starts a new trace, even if the tag
/// is taken; (4) a cause or parent joins its trace, and must be traced; (5) anything else starts a new trace
/// with an automatic tag. New traces get a trace-start record just before the event's record.
///
/// Causes never cross traces: whatever decides the trace, a cause that is already traced must be in that trace
/// (a causation link's cause too). A cause not traced yet is accepted when the event's trace is decided
/// otherwise (an explicit `trace.id`, an entity already traced, a causation link): replay and OTLP deliver
/// effects before their causes. Only a new entity that joins through its cause (rule 4) needs it traced.
///
/// A trigger instance is recorded once: the same id again with the same content (same body; same time, when
/// the event gives one) is a no-op (its outcome says so); with another content it is rejected,
/// naming the first record's sequence number.
///
/// Lookups go to a bounded cache (``ResolutionCache``), which also holds what the events accepted earlier in the
/// session introduced, then to the log's memory-mapped indexes. Every table is keyed by ``EntityKey``, so an
/// entity's id is hashed once per event.
struct TraceResolver {
    /// Looks up an entity's trace in the log (nil when not traced); the key's hash is the index's.
    let lookupEntity: (EntityKey) throws(LogError) -> TraceID?
    /// Whether a trace exists in the log.
    let lookupTrace: (TraceID) throws(LogError) -> Bool
    /// The first record of an entity in the log, its own record (not a causation link about it); only asked
    /// for trigger instances already traced, to tell a resent one from a conflicting one.
    let lookupFirstRecord: (EntityRef) throws(LogError) -> StoredRecord?
    /// What resolution learned, written or pending (entities and traces never move, so caching is always valid).
    var cache: ResolutionCache

    /// What the events resolved so far turned into: the records to append, and the trigger instances they record.
    ///
    /// The entities and traces they introduce are entered in ``cache`` right away (journaled there until
    /// written, see ``ResolutionCache``); ``Mark`` covers both.
    struct Outcome {
        var records: [Record] = []
        /// Trigger instances first recorded since the last reset: their position in ``records``.
        var newTriggerRecords: [EntityKey: Int] = [:]
        /// The keys added to ``newTriggerRecords``, in order, so that a rejected unit or request can be taken out
        /// again (``rollback(to:)``).
        private var triggerJournal: [EntityKey] = []

        /// A point to roll back to.
        struct Mark: Hashable, Sendable {
            var records: Int
            var triggers: Int
        }

        var mark: Mark { Mark(records: records.count, triggers: triggerJournal.count) }

        /// Takes out everything resolved after `mark`.
        mutating func rollback(to mark: Mark) {
            records.removeSubrange(mark.records...)
            for trigger in triggerJournal[mark.triggers...] { newTriggerRecords[trigger] = nil }
            triggerJournal.removeSubrange(mark.triggers...)
        }

        mutating func introduce(triggerInstance key: EntityKey, at position: Int) {
            // One hash-table operation for the usual case, a new key (a second record of the same trigger
            // instance in one batch keeps the first's position).
            if let first = newTriggerRecords.updateValue(position, forKey: key) {
                newTriggerRecords[key] = first
                return
            }
            triggerJournal.append(key)
        }

        /// Empties it, keeping capacity (after its records were handed to the write stage).
        mutating func reset() {
            records.removeAll(keepingCapacity: true)
            newTriggerRecords.removeAll(keepingCapacity: true)
            triggerJournal.removeAll(keepingCapacity: true)
        }
    }

    /// A point to roll back to: the outcome's and the cache's pending journal.
    struct Mark: Hashable, Sendable {
        var outcome: Outcome.Mark
        var cache: ResolutionCache.Mark
    }

    func mark(of outcome: Outcome) -> Mark { Mark(outcome: outcome.mark, cache: cache.mark) }

    /// Takes out of `outcome` and of the cache everything resolved after `mark`.
    mutating func rollback(_ outcome: inout Outcome, to mark: Mark) {
        outcome.rollback(to: mark.outcome)
        cache.rollback(to: mark.cache)
    }

    /// Takes out of the cache everything pending, and empties `outcome` (its records will not be written).
    mutating func discard(_ outcome: inout Outcome) {
        outcome.reset()
        cache.rollback(to: ResolutionCache.Mark())
    }

    /// Hands `outcome`'s records over to be written: what they introduced stops being pending.
    mutating func commit(_ outcome: inout Outcome) -> [Record] {
        let records = outcome.records
        outcome.reset()
        cache.commit()
        return records
    }

    /// How one event of an accepted unit was resolved.
    struct Resolved {
        /// The trace it joined (or started, or, for a duplicate, the trace its first record is in).
        var traceID: TraceID
        /// The index in ``Outcome/records`` of its own record (of its trace-start record for a `.traceStart`);
        /// nil for a duplicate, which writes nothing.
        var recordIndex: Int?
    }

    /// Where an event goes.
    private enum Placement {
        /// Into this trace; `start` is the trace-start record to write first when the event starts it; `new` is
        /// the event's entity when the event introduces it.
        case trace(TraceID, start: TraceStart?, new: EntityKey?)
        /// Nowhere: it repeats a record already there, in this trace.
        case duplicate(TraceID)
    }

    /// Resolves one all-or-nothing unit of events (a line, a document element, a request's event) into `outcome`,
    /// appending one ``Resolved`` per event to `resolved`.
    ///
    /// The unit is `events[range]`. The body of each event that becomes a record is moved into it, leaving a
    /// placeholder behind (no copy of its strings), so the caller must not read the events afterwards.
    ///
    /// Events may depend on earlier events of the unit and of earlier units. If any event is rejected, nothing
    /// of the unit stays in `outcome` or `resolved`, and the index (within the unit) of the first rejected event
    /// and its error are returned. `firstSeq` is the sequence number the first record of `outcome` will get (it
    /// only names records in messages).
    mutating func resolve(
        unit events: inout [IncomingEvent], range: Range<Int>, now: Timestamp, firstSeq: UInt64,
        into outcome: inout Outcome, resolved: inout [Resolved]
    ) throws(LogError) -> (event: Int, error: ResolutionError)? {
        let mark = mark(of: outcome)
        let resolvedBefore = resolved.count
        for index in range {
            // The event is read where it is (an array element passed `inout` is not copied; the subscript's getter
            // copies it, retaining its strings) and its body read in one pass (``BodyFacts``).
            let (facts, time) = Self.facts(of: &events[index], now: now)
            switch try place(&events[index], facts, outcome: outcome, firstSeq: firstSeq) {
            case .failure(let error):
                rollback(&outcome, to: mark)
                resolved.removeSubrange(resolvedBefore...)
                return (index - range.lowerBound, error)
            case .success(.duplicate(let traceID)):
                resolved.append(Resolved(traceID: traceID, recordIndex: nil))
            case .success(.trace(let traceID, let start, let new)):
                if let start {
                    outcome.records.append(Record(time: time, traceID: traceID, body: .traceStart(start)))
                    cache.introduce(trace: traceID)
                }
                if facts.kind == .traceStart {
                    resolved.append(Resolved(traceID: traceID, recordIndex: outcome.records.count - 1))
                    continue
                }
                if let new { cache.introduce(new, in: traceID) }
                if facts.kind == .triggerInstance, let key = facts.entity {
                    outcome.introduce(triggerInstance: key, at: outcome.records.count)
                }
                resolved.append(Resolved(traceID: traceID, recordIndex: outcome.records.count))
                outcome.records.append(Record(time: time, traceID: traceID, body: events[index].takeBody()))
            }
        }
        return nil
    }

    /// What resolution reads of `event`'s body, and its time (`now` when it has none); `event` is only read.
    private static func facts(of event: inout IncomingEvent, now: Timestamp) -> (BodyFacts, Timestamp) {
        (BodyFacts.of(event.body), event.time ?? now)
    }

    /// The trace an event joins, and the trace-start to write first when it starts one. `event` is only read
    /// (`inout` so that an array element is read where it is); `facts` are its body's.
    private mutating func place(
        _ event: inout IncomingEvent, _ facts: BodyFacts, outcome: Outcome, firstSeq: UInt64
    )
        throws(LogError) -> Result<Placement, ResolutionError>
    {
        if facts.kind == .traceStart, case .traceStart(let start) = event.body {
            let id = event.trace?.id ?? TraceID.random()
            if try traceExists(id) { return .failure(.traceExists(id)) }
            return .success(.trace(id, start: start, new: nil))
        }
        let key = facts.entity
        let entity = key?.ref
        let existing = try key.flatMap { (key) throws(LogError) in try trace(of: key) }
        let new = existing == nil ? key : nil
        let target: TraceID
        if let id = event.trace?.id {
            guard try traceExists(id) else {
                // OpenTelemetry: the trace id is authoritative; its first span creates the trace.
                guard event.mode == .openTelemetry else { return .failure(.traceNotFound(id)) }
                if let entity, let existing {
                    return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: id))
                }
                let start = TraceStart(tag: event.trace?.tag ?? "trace-\(id)", origin: entity)
                return .success(.trace(id, start: start, new: new))
            }
            if let entity, let existing, existing != id {
                return .failure(.entityInOtherTrace(entity: entity, existing: existing, requested: id))
            }
            if event.mode == .openTelemetry, let entity, existing != nil { return .failure(.alreadyStored(entity)) }
            target = id
        } else if facts.kind == .causationLink, let entity {
            guard let existing else { return .failure(.entityNotFound(entity)) }
            target = existing
        } else if let existing {
            target = existing
        } else {
            return try placeNew(&event, facts)
        }
        if existing != nil, facts.kind == .triggerInstance, let key {
            switch try repetition(of: event, key: key, outcome, firstSeq: firstSeq) {
            case .some(.success): return .success(.duplicate(target))
            case .some(.failure(let error)): return .failure(error)
            case nil: break
            }
        }
        if let cause = facts.cause, let causeTrace = try trace(of: EntityKey(cause)), causeTrace != target {
            // An entity already traced keeps the error that names its own trace (a later attempt whose cause
            // is elsewhere); otherwise the cause's trace and the one the event joins are named.
            if let entity, existing == target, event.trace?.id == nil, facts.kind != .causationLink {
                return .failure(.entityInOtherTrace(entity: entity, existing: target, requested: causeTrace))
            }
            return .failure(.causeInOtherTrace(cause: cause, causeTrace: causeTrace, trace: target, tag: nil))
        }
        return .success(.trace(target, start: nil, new: new))
    }

    /// Rules 3–5 for an entity not traced yet and an event that names no trace id: a tag starts a new trace, a
    /// cause joins its trace, anything else starts a trace with an automatic tag.
    private mutating func placeNew(_ event: inout IncomingEvent, _ facts: BodyFacts) throws(LogError)
        -> Result<Placement, ResolutionError>
    {
        let key = facts.entity
        let entity = key?.ref
        let cause = facts.cause
        let causeTrace = try cause.flatMap { (cause) throws(LogError) in try trace(of: EntityKey(cause)) }
        if let tag = event.trace?.tag {
            if let cause, let causeTrace {
                return .failure(.causeInOtherTrace(cause: cause, causeTrace: causeTrace, trace: nil, tag: tag))
            }
            return .success(.trace(TraceID.random(), start: TraceStart(tag: tag, origin: entity), new: key))
        }
        if let cause {
            guard let causeTrace else { return .failure(.causeNotFound(cause)) }
            return .success(.trace(causeTrace, start: nil, new: key))
        }
        let start = TraceStart(tag: Self.automaticTag(for: event.body), origin: entity)
        return .success(.trace(TraceID.random(), start: start, new: key))
    }

    /// For a trigger instance already traced: success when the event repeats its first record (a no-op), the
    /// conflict when it differs, nil when there is no record of it to compare with (it is only known from a
    /// causation link).
    private func repetition(of event: borrowing IncomingEvent, key: EntityKey, _ outcome: Outcome, firstSeq: UInt64)
        throws(LogError) -> Result<Void, ResolutionError>?
    {
        guard case .triggerInstance = event.body else { return nil }
        let entity = key.ref
        let first: (record: Record, seq: UInt64, inThisBatch: Bool)
        if let position = outcome.newTriggerRecords[key] {
            first = (outcome.records[position], firstSeq + UInt64(position), true)
        } else if let stored = try lookupFirstRecord(entity) {
            first = (stored.record, stored.seq, false)
        } else {
            return nil
        }
        if first.record.body == event.body, event.time == nil || event.time == first.record.time {
            return .success(())
        }
        return .failure(.conflictingDuplicate(entity: entity, firstSeq: first.seq, inThisBatch: first.inThisBatch))
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

    private mutating func trace(of key: EntityKey) throws(LogError) -> TraceID? {
        if let cached = cache.trace(of: key) { return cached }
        guard cache.mayBeInLog(key), let found = try lookupEntity(key) else { return nil }
        cache.remember(key, in: found)
        return found
    }

    private mutating func traceExists(_ id: TraceID) throws(LogError) -> Bool {
        if cache.knows(trace: id) { return true }
        guard try lookupTrace(id) else { return false }
        cache.remember(trace: id)
        return true
    }
}
