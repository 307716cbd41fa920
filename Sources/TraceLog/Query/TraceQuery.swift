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
    /// trace, read in place; with a limit only the page's entries are kept). The page's traces are asked for
    /// together before they are read (``LogReader/prefetchTraces(_:)``).
    ///
    /// Any damage in the log may hide a matching trace (a trace start, a record that matches a filter), so all
    /// known damage counts, plus batches that cannot be read while the page is built. With
    /// ``DamagePolicy/fail`` it throws ``LogError/damaged(_:)`` before reading anything else.
    public func listTraces(_ query: TraceQuery, damage policy: DamagePolicy) throws(LogError) -> Answer<TracePage> {
        var damage = try reader.damage()
        if policy == .fail, !damage.isEmpty { _ = try policy.answer((), damage: damage) }
        if let limit = query.limit, !query.failedOnly, !Self.hasEntityFilter(query) {
            return try policy.answer(try newestOrOldest(limit: limit, query, damage: &damage), damage: damage)
        }
        let candidates = try candidateStarts(query, damage: &damage)
        if let limit = query.limit, !query.failedOnly, let ids = candidates.unplaced,
            candidates.starts.count + ids.count <= max(query.offset, 0) + max(limit, 0)
        {
            return try policy.answer(
                try pageOfEveryCandidate(candidates.starts, ids, query, damage: &damage), damage: damage)
        }
        var entries = candidates.starts
        for id in candidates.unplaced ?? [] {
            if let entry = try reader.traceStart(of: id, skippingDamage: &damage) { entries.append(entry) }
        }
        entries = Self.ordered(entries.filter { Self.isInTimeRange($0, query) }, query.order)
        if query.failedOnly { return try failedTraces(entries, query, damage: damage, policy: policy) }
        let start = min(max(query.offset, 0), entries.count)
        let end = query.limit.map { min(start + max($0, 0), entries.count) } ?? entries.count
        let traces = try traces(of: entries[start..<end], query, damage: &damage)
        return try policy.answer(TracePage(total: entries.count, traces: traces), damage: damage)
    }

    /// A page without entity filters (`trace list`, `GET /v1/traces`): the newest or oldest `offset + limit`
    /// trace starts in the time range, picked in one pass over the trace-start tables that keeps only those
    /// (``LogReader/traceStartPage(limit:newestFirst:times:)``), and the count of all in the range. Same answer
    /// as sorting them all, which at 1.2M traces took 0.18 s and 250 MB to show 50.
    private func newestOrOldest(limit: Int, _ query: TraceQuery, damage: inout [DamagedRegion]) throws(LogError)
        -> TracePage
    {
        let lower = query.since?.microseconds ?? .min
        let upper = query.until?.microseconds ?? .max
        guard lower <= upper else { return TracePage(total: 0, traces: []) }
        let offset = max(query.offset, 0)
        let (wanted, overflow) = offset.addingReportingOverflow(max(limit, 0))
        let page = try reader.traceStartPage(
            limit: overflow ? .max : wanted, newestFirst: query.order == .descending, times: lower...upper)
        return TracePage(
            total: page.total, traces: try traces(of: page.starts.dropFirst(offset), query, damage: &damage))
    }

    /// The traces of a page's entries, in order; those whose records cannot be read are left out, and their damage
    /// added to `damage`.
    private func traces(of entries: ArraySlice<TraceStartEntry>, _ query: TraceQuery, damage: inout [DamagedRegion])
        throws(LogError) -> [TraceProjection]
    {
        var traces: [TraceProjection] = []
        prefetch(entries)
        for entry in entries {
            let answer = try trace(entry.traceID, near: entry.seq, damage: .allow)
            damage += answer.damage
            // A tag filter matched on the 64-bit tag hash: a trace of a colliding tag is left out here.
            if let trace = answer.value, query.tag.map({ $0 == trace.tag }) ?? true {
                traces.append(trace)
            }
        }
        return traces
    }

    /// Asks for the traces of a page's entries together (``LogReader/prefetchTraces(_:)``) when there are
    /// several; a page of one allocates nothing for it.
    private func prefetch<Entries: Collection<TraceStartEntry>>(_ entries: Entries) {
        guard entries.count > 1 else { return }
        reader.prefetchTraces(entries.map { ($0.traceID, $0.seq) })
    }

    /// Whether the query names an entity or a tag (then the indexes give its candidates).
    private static func hasEntityFilter(_ query: TraceQuery) -> Bool {
        query.tag != nil || query.execution != nil || query.rule != nil || query.triggerInstance != nil
    }

    /// The page when every candidate trace is on it (an execution's or a rule's few traces): each trace is read
    /// once, and placed by its own first record, instead of looking its start up in the index and then reading
    /// it — on a cold cache that saves a lookup's chain of reads. Same answer as the general path: a trace whose
    /// start cannot be read is not counted, and the time range and order are those of the trace starts.
    private func pageOfEveryCandidate(
        _ starts: [TraceStartEntry], _ ids: Set<TraceID>, _ query: TraceQuery, damage: inout [DamagedRegion]
    ) throws(LogError) -> TracePage {
        var found: [(entry: TraceStartEntry, trace: TraceProjection?)] = []
        for entry in starts { found.append((entry, nil)) }
        for id in ids {
            let answer = try trace(id, damage: .allow)
            damage += answer.damage
            guard let trace = answer.value, let first = trace.records.first, first.record.kind == .traceStart else {
                continue
            }
            found.append((TraceStartEntry(first), trace))
        }
        found = found.filter { Self.isInTimeRange($0.entry, query) }
        found.sort { ($0.entry.time, $0.entry.seq) < ($1.entry.time, $1.entry.seq) }
        if query.order == .descending { found.reverse() }
        var traces: [TraceProjection] = []
        let page = found.dropFirst(max(query.offset, 0))
        prefetch(page.lazy.filter { $0.trace == nil }.map(\.entry))
        for (entry, read) in page {
            var trace = read
            if trace == nil {
                let answer = try self.trace(entry.traceID, near: entry.seq, damage: .allow)
                damage += answer.damage
                trace = answer.value
            }
            // A tag filter matched on the 64-bit tag hash: a trace of a colliding tag is left out here.
            if let trace, query.tag.map({ $0 == trace.tag }) ?? true { traces.append(trace) }
        }
        return TracePage(total: found.count, traces: traces)
    }

    /// Whether a trace start lies in the query's `since`…`until` range.
    private static func isInTimeRange(_ entry: TraceStartEntry, _ query: TraceQuery) -> Bool {
        if let since = query.since, entry.time < since.microseconds { return false }
        if let until = query.until, entry.time > until.microseconds { return false }
        return true
    }

    /// `entries` by start time (then sequence number), in `order`.
    private static func ordered(_ entries: [TraceStartEntry], _ order: TraceQuery.Order) -> [TraceStartEntry] {
        var entries = entries
        entries.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        if order == .descending { entries.reverse() }
        return entries
    }

    /// Traces asked for together ahead of reading them (``LogReader/prefetchTraces(_:)``) when every trace of a
    /// list is read to find the failed ones: a page's worth at a time, so that what is asked for is read soon.
    private static let prefetchWindow = 64

    /// The page of `entries` (sorted) whose traces have a failed execution: every entry's trace is decoded, in
    /// order, to count them all.
    private func failedTraces(
        _ entries: [TraceStartEntry], _ query: TraceQuery, damage: [DamagedRegion], policy: DamagePolicy
    ) throws(LogError) -> Answer<TracePage> {
        var damage = damage
        var total = 0
        var traces: [TraceProjection] = []
        for (index, entry) in entries.enumerated() {
            if index % Self.prefetchWindow == 0 {
                prefetch(entries[index..<min(index + Self.prefetchWindow, entries.count)])
            }
            let answer = try trace(entry.traceID, near: entry.seq, damage: .allow)
            damage += answer.damage
            guard let trace = answer.value, query.tag.map({ $0 == trace.tag }) ?? true, trace.outcome == .failed
            else { continue }
            if total >= query.offset, query.limit.map({ traces.count < $0 }) ?? true { traces.append(trace) }
            total += 1
        }
        return try policy.answer(TracePage(total: total, traces: traces), damage: damage)
    }

    /// The traces that pass the entity filters: from the index hits when there are filters (cost: the matching
    /// records; for a tag, one trace-start table probe per matching trace, no batch read), else every trace
    /// start (one 40-byte table entry per trace). `starts` are the traces whose start is known already (a tag's,
    /// or every trace without filters); `unplaced` the others, by id (nil without entity filters). Batches that
    /// cannot be read are added to `damage`.
    private func candidateStarts(_ query: TraceQuery, damage: inout [DamagedRegion]) throws(LogError)
        -> (starts: [TraceStartEntry], unplaced: Set<TraceID>?)
    {
        let filters: [(IndexKind, String)] = [
            (.tag, query.tag), (.execution, query.execution), (.rule, query.rule),
            (.triggerInstance, query.triggerInstance),
        ].compactMap { kind, key in key.map { (kind, $0) } }
        guard !filters.isEmpty else { return (try reader.traceStarts(), nil) }
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
        var starts: [TraceStartEntry] = []
        var unplaced: Set<TraceID> = []
        for id in allowed ?? [] {
            if let entry = known[id] { starts.append(entry) } else { unplaced.insert(id) }
        }
        return (starts, unplaced)
    }
}
