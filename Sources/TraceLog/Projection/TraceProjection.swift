public import TraceLogStorage

/// A trace rebuilt from its records: tag, start, components and the causation graph between them.
public struct TraceProjection: Hashable, Sendable {
    /// The trace id.
    public var id: TraceID
    /// The trace tag.
    public var tag: String
    /// The trace's start time (its trace-start record).
    public var startTime: Timestamp
    /// Components sorted by time (then by sequence number).
    public var components: [TraceComponent]
    /// Every record of the trace, in sequence order.
    public var records: [StoredRecord]

    /// Builds the projection from a trace's records (sequence order, the trace-start record first).
    public init(id: TraceID, records: [StoredRecord]) {
        self.id = id
        self.records = records
        tag = ""
        startTime = records.first?.record.time ?? Timestamp(microseconds: 0)
        var byEntity: [EntityRef: Int] = [:]
        var components: [TraceComponent] = []
        for stored in records {
            let record = stored.record
            switch record.body {
            case .traceStart(let start):
                tag = start.tag
                startTime = record.time
            case .causationLink(let link):
                if let index = byEntity[link.entity], components[index].causedBy == nil {
                    components[index].causedBy = link.causedBy
                }
            case .flowEvent:
                continue
            case .triggerInstance, .ruleEnforcement, .executionAttempt:
                guard let entity = record.body.entity else { continue }
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
                    components[index].status = attempt.status ?? components[index].status
                    components[index].failure = attempt.failure
                    Self.add(attempt, time: record.time, seq: stored.seq, to: &components[index].attemptSummaries)
                }
            }
        }
        self.components = components.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }
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

    /// Trigger instances that caused no rule enforcement in this trace (typically the last action trigger).
    public var noopTriggerInstanceIDs: Set<String> {
        let fired = Set(
            components.compactMap { $0.type == .rule ? $0.causedBy : nil }.filter { $0.type == .triggerInstance }.map(
                \.id))
        return Set(components.filter { $0.type == .triggerInstance && !fired.contains($0.id) }.map(\.id))
    }

    /// Components matching a selector: an execution id, a trigger-instance id, or for rules an enforcement id,
    /// rule id or rule ref (a rule that fired several times matches each enforcement).
    public func components(matching type: EntityType, id: String) -> [TraceComponent] {
        components.filter { component in
            guard component.type == type else { return false }
            return component.id == id || (type == .rule && (component.ruleID == id || component.ref == id))
        }
    }

    /// The causation chain of the selected components: each one and everything it was caused by, up to the
    /// origin, in time order. Exact when a rule fires several times: the walk follows enforcement ids.
    public func causationChain(of selected: [TraceComponent]) -> [TraceComponent] {
        let byEntity = Dictionary(components.map { ($0.entity, $0) }, uniquingKeysWith: { first, _ in first })
        var chain: Set<EntityRef> = []
        for start in selected {
            var current: TraceComponent? = start
            while let component = current, chain.insert(component.entity).inserted {
                current = component.causedBy.flatMap { byEntity[$0] }
            }
        }
        return components.filter { chain.contains($0.entity) }
    }

    /// The effects of the selected components: each one and everything downstream of it, in time order.
    public func effects(of selected: [TraceComponent]) -> [TraceComponent] {
        var children: [EntityRef: [EntityRef]] = [:]
        for component in components {
            if let cause = component.causedBy { children[cause, default: []].append(component.entity) }
        }
        var reached: Set<EntityRef> = []
        var queue = selected.map(\.entity)
        while let next = queue.popLast() {
            guard reached.insert(next).inserted else { continue }
            queue += children[next] ?? []
        }
        return components.filter { reached.contains($0.entity) }
    }
}
