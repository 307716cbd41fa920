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
    private var byEntity: [EntityRef: Int] = [:]
    private(set) var components: [TraceComponent] = []

    /// Takes in one record of the trace (records must come in sequence order).
    mutating func add(_ stored: StoredRecord) {
        let record = stored.record
        switch record.body {
        case .traceStart, .flowEvent:
            return
        case .causationLink(let link):
            if let index = byEntity[link.entity], components[index].causedBy == nil {
                components[index].causedBy = link.causedBy
            }
        case .triggerInstance, .ruleEnforcement, .executionAttempt:
            guard let entity = record.body.entity else { return }
            let index: Int
            if let existing = byEntity[entity] {
                index = existing
            } else {
                index = components.count
                byEntity[entity] = index
                components.append(Self.component(for: record, entity: entity, seq: stored.seq))
            }
            if components[index].causedBy == nil { components[index].causedBy = record.body.cause }
            if case .executionAttempt(let attempt) = record.body {
                components[index].attempts += 1
                Self.add(attempt, time: record.time, seq: stored.seq, to: &components[index].attemptSummaries)
                if let last = components[index].attemptSummaries.last {  // the highest attempt number
                    components[index].status = last.status
                    components[index].failure = last.failure
                }
            }
        }
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

    private static func component(for record: Record, entity: EntityRef, seq: UInt64) -> TraceComponent {
        var ref = ""
        var ruleID: String?
        switch record.body {
        case .triggerInstance(let instance): ref = instance.trigger
        case .ruleEnforcement(let enforcement):
            ref = enforcement.ruleRef
            ruleID = enforcement.ruleID
        case .executionAttempt(let attempt): ref = attempt.action
        default: break
        }
        return TraceComponent(
            id: entity.id, type: entity.type, ref: ref, time: record.time, causedBy: nil, ruleID: ruleID, seq: seq)
    }
}
