public import TraceLogStorage

/// The filters of `trace list` (SPEC §6); all given filters must hold (AND).
public struct TraceQuery: Hashable, Sendable {
    /// Sort order by start time.
    public enum Order: String, Sendable, CaseIterable {
        case ascending = "asc"
        case descending = "desc"
    }

    /// Traces with this tag.
    public var tag: String?
    /// Traces containing this execution.
    public var execution: String?
    /// Traces containing this rule (enforcement id, rule id or rule ref).
    public var rule: String?
    /// Traces containing this trigger instance.
    public var triggerInstance: String?
    /// Traces that started at or after this time.
    public var since: Timestamp?
    /// Traces that started at or before this time.
    public var until: Timestamp?
    /// At most this many traces (nil: all).
    public var limit: Int?
    /// Skip this many matching traces first.
    public var offset: Int
    /// Newest first by default.
    public var order: Order
    /// Only traces with an execution whose last attempt failed (see ``Outcome``). Costs a decode of every trace
    /// that passes the other filters (no index knows outcomes).
    public var failedOnly = false

    /// Creates a query; by default the 50 newest traces.
    public init(
        tag: String? = nil, execution: String? = nil, rule: String? = nil, triggerInstance: String? = nil,
        since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = 50, offset: Int = 0, order: Order = .descending
    ) {
        self.tag = tag
        self.execution = execution
        self.rule = rule
        self.triggerInstance = triggerInstance
        self.since = since
        self.until = until
        self.limit = limit
        self.offset = offset
        self.order = order
    }
}

/// One page of `trace list`.
public struct TracePage: Sendable {
    /// How many traces match in all.
    public var total: Int
    /// The traces of this page, in the requested order.
    public var traces: [TraceProjection]
}

extension TraceStore {
    /// Lists traces matching a query, sorted by start time. Throws ``LogError/damaged(_:)`` when the log has
    /// known damage (see ``listTraces(_:damage:)``).
    public func listTraces(_ query: TraceQuery) throws(LogError) -> TracePage {
        try listTraces(query, damage: .fail).value
    }

    /// Lists traces matching a query, sorted by start time, and the damage that may hide some of them.
    ///
    /// Entity filters go through the indexes (cost: the matching records; a tag costs one trace-start table
    /// probe per matching trace and is matched on its 64-bit hash, then checked on the returned traces);
    /// without filters every trace start is read from the per-segment trace tables (one 40-byte entry per
    /// trace).
    ///
    /// Any damage in the log may hide a matching trace (a trace start, a record that matches a filter), so all
    /// known damage counts, plus batches that cannot be read while the page is built. With
    /// ``DamagePolicy/fail`` it throws ``LogError/damaged(_:)`` before reading anything else.
    public func listTraces(_ query: TraceQuery, damage policy: DamagePolicy) throws(LogError) -> Answer<TracePage> {
        var damage = try reader.damage()
        if policy == .fail, !damage.isEmpty { _ = try policy.answer((), damage: damage) }
        var entries = try candidateStarts(query, damage: &damage).filter { entry in
            if let since = query.since, entry.time < since.microseconds { return false }
            if let until = query.until, entry.time > until.microseconds { return false }
            return true
        }
        entries.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        if query.order == .descending { entries.reverse() }
        if query.failedOnly { return try failedTraces(entries, query, damage: damage, policy: policy) }
        let start = min(max(query.offset, 0), entries.count)
        let end = query.limit.map { min(start + max($0, 0), entries.count) } ?? entries.count
        var traces: [TraceProjection] = []
        for entry in entries[start..<end] {
            let answer = try trace(entry.traceID, damage: .allow)
            damage += answer.damage
            // A tag filter matched on the 64-bit tag hash: a trace of a colliding tag is left out here.
            if let trace = answer.value, query.tag.map({ $0 == trace.tag }) ?? true {
                traces.append(trace)
            }
        }
        return try policy.answer(TracePage(total: entries.count, traces: traces), damage: damage)
    }

    /// The page of `entries` (sorted) whose traces have a failed execution: every entry's trace is decoded, in
    /// order, to count them all.
    private func failedTraces(
        _ entries: [TraceStartEntry], _ query: TraceQuery, damage: [DamagedRegion], policy: DamagePolicy
    ) throws(LogError) -> Answer<TracePage> {
        var damage = damage
        var total = 0
        var traces: [TraceProjection] = []
        for entry in entries {
            let answer = try trace(entry.traceID, damage: .allow)
            damage += answer.damage
            guard let trace = answer.value, query.tag.map({ $0 == trace.tag }) ?? true, trace.outcome == .failed
            else { continue }
            if total >= query.offset, query.limit.map({ traces.count < $0 }) ?? true { traces.append(trace) }
            total += 1
        }
        return try policy.answer(TracePage(total: total, traces: traces), damage: damage)
    }

    /// The starts of the traces that pass the entity filters: from the index hits when there are filters (cost:
    /// the matching records; for a tag, one trace-start table probe per matching trace, no batch read), else
    /// every trace start (one 40-byte table entry per trace). Batches that cannot be read are added to `damage`.
    private func candidateStarts(_ query: TraceQuery, damage: inout [DamagedRegion]) throws(LogError)
        -> [TraceStartEntry]
    {
        let filters: [(IndexKind, String)] = [
            (.tag, query.tag), (.execution, query.execution), (.rule, query.rule),
            (.triggerInstance, query.triggerInstance),
        ].compactMap { kind, key in key.map { (kind, $0) } }
        guard !filters.isEmpty else { return try reader.traceStarts() }
        var known: [TraceID: TraceStartEntry] = [:]
        var allowed: Set<TraceID>?
        for (kind, key) in filters {
            let ids: Set<TraceID>
            if kind == .tag {
                // From the index and trace-start tables alone; the page's traces are checked against the tag.
                let starts = try reader.traceStarts(tag: key)
                for entry in starts { known[entry.traceID] = entry }
                ids = Set(starts.map(\.traceID))
            } else {
                ids = Set(try reader.records(kind, key: key, skippingDamage: &damage).map(\.record.traceID))
            }
            allowed = allowed.map { $0.intersection(ids) } ?? ids
        }
        var entries: [TraceStartEntry] = []
        for id in allowed ?? [] {
            if let entry = known[id] {
                entries.append(entry)
            } else if let entry = try reader.traceStart(of: id, skippingDamage: &damage) {
                entries.append(entry)
            }
        }
        return entries
    }
}
