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
        var builder = ComponentBuilder()
        for stored in records {
            if case .traceStart(let start) = stored.record.body {
                tag = start.tag
                startTime = stored.record.time
            } else {
                builder.add(stored)
            }
        }
        self.components = builder.sortedComponents()
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
