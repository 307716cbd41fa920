import TraceLogStorage

/// Builds trace components from records in sequence order (StackStorm's model): the rules that
/// ``TraceProjection`` and paged projections (``TraceStore/traceComponents(_:selection:offset:limit:damage:)``)
/// share, so both give the same components.
///
/// - A trigger instance, rule enforcement or execution is one component, created by its first record: that
///   record's time, sequence number and ref (and rule id); every later record of the entity updates it.
/// - Its cause is the first one a record of it names (explicit `caused_by`, else the implied one: a rule
///   enforcement's trigger instance, a workflow child's parent), or else a causation link about it that
///   follows its first record.
/// - An execution counts its attempt records and keeps one ``AttemptSummary`` per attempt number; its status
///   and failure class are those of its last attempt (the highest number): the last status given for that
///   attempt, the failure class of its latest record. ``TraceOutline`` follows the same rule on views.
/// - Trace starts and flow events make no component.
struct ComponentBuilder {
    /// Entity → index into ``components``, built once a trace has more components than a linear search over
    /// them handles faster (most traces have a handful: hashing each id with SipHash was a tenth of a warm
    /// `trace get`).
    private var byEntity: [EntityRef: Int]?
    private(set) var components: [TraceComponent] = []

    /// Components up to which ``index(of:_:)`` searches linearly.
    private static let linearSearchLimit = 24

    /// Takes in one record of the trace (records must come in sequence order).
    mutating func add(_ stored: StoredRecord) {
        let time = stored.record.time
        switch stored.record.body {
        case .traceStart, .flowEvent:
            return
        case .causationLink(let link):
            if let index = index(of: link.entity.type, link.entity.id), components[index].causedBy == nil {
                components[index].causedBy = link.causedBy
            }
        case .triggerInstance(let instance):
            let index = component(.triggerInstance, instance.id, ref: instance.trigger, time: time, seq: stored.seq)
            if components[index].causedBy == nil { components[index].causedBy = stored.record.body.cause }
        case .ruleEnforcement(let enforcement):
            let index = component(
                .rule, enforcement.id, ref: enforcement.ruleRef, ruleID: enforcement.ruleID, time: time,
                seq: stored.seq)
            if components[index].causedBy == nil { components[index].causedBy = stored.record.body.cause }
        case .executionAttempt(let attempt):
            let index = component(.execution, attempt.id, ref: attempt.action, time: time, seq: stored.seq)
            if components[index].causedBy == nil { components[index].causedBy = stored.record.body.cause }
            components[index].attempts += 1
            Self.add(attempt, time: time, seq: stored.seq, to: &components[index].attemptSummaries)
            if let last = components[index].attemptSummaries.last {  // the highest attempt number
                components[index].status = last.status
                components[index].failure = last.failure
            }
        }
    }

    /// The index of the entity's component, if it has one.
    private func index(of type: EntityType, _ id: String) -> Int? {
        if let byEntity { return byEntity[EntityRef(type: type, id: id)] }
        return components.withUnsafeBufferPointer { components in
            for index in components.indices where components[index].type == type && components[index].id == id {
                return index
            }
            return nil
        }
    }

    /// The index of the entity's component, created from this record (its first) when it has none: that
    /// record's time, sequence number, ref and rule id.
    private mutating func component(
        _ type: EntityType, _ id: String, ref: String, ruleID: String? = nil, time: Timestamp, seq: UInt64
    ) -> Int {
        if let existing = index(of: type, id) { return existing }
        let index = components.count
        components.append(
            TraceComponent(id: id, type: type, ref: ref, time: time, causedBy: nil, ruleID: ruleID, seq: seq))
        if byEntity != nil {
            byEntity?[EntityRef(type: type, id: id)] = index
        } else if components.count > Self.linearSearchLimit {
            var table: [EntityRef: Int] = [:]
            table.reserveCapacity(components.count * 2)
            for (index, component) in components.enumerated() { table[component.entity] = index }
            byEntity = table
        }
        return index
    }

    /// The components sorted by time, then sequence number.
    func sortedComponents() -> [TraceComponent] {
        components.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }
    }

    /// Adds an attempt record to an execution's attempts, kept in attempt-number order.
    private static func add(_ attempt: ExecutionAttempt, time: Timestamp, seq: UInt64, to list: inout [AttemptSummary])
    {
        if let index = list.firstIndex(where: { $0.attempt == attempt.attempt }) {
            list[index].absorb(attempt)
            return
        }
        var summary = AttemptSummary(attempt: attempt.attempt, seq: seq, time: time)
        summary.absorb(attempt)
        let position = list.firstIndex { $0.attempt > attempt.attempt } ?? list.count
        list.insert(summary, at: position)
    }
}
