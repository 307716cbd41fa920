public import TraceLogStorage

/// Queries of traces of any size: a summary, and components one page at a time, with memory bounded by a few
/// dozen bytes per component whatever the records hold.
extension TraceStore {
    /// A trace's counts by component type and execution outcome, its record count and time span, without its
    /// components; nil when there is no such trace.
    ///
    /// One pass over the trace's records as zero-copy views (no ``Record`` built): about 50 bytes per component
    /// and 8 per record are held, so a trace of a million components takes well under 200 MB. Damage counts as
    /// for ``trace(_:damage:)``.
    public func traceSummary(_ id: TraceID, damage policy: DamagePolicy) throws(LogError) -> Answer<TraceSummary?> {
        var damage: [DamagedRegion] = []
        let outline = try outline(id, selector: nil, damage: &damage)
        return try policy.answer(outline.records == 0 ? nil : outline.summary(id: id), damage: damage)
    }

    /// The components a selection shows of a trace, `limit` of them (nil: all) after the first `offset`, in time
    /// order, with how many it shows in all; nil when there is no such trace.
    ///
    /// Gives the components ``TraceProjection/select(_:)`` gives, without building the projection: a first pass
    /// over the trace's records as views keeps a few numbers per component and selects on them, a second decodes
    /// only the records of the page's components. Memory: about 50 bytes per component plus the page; time: two
    /// reads of the trace's batches. Damage counts as for ``trace(_:damage:)``.
    public func traceComponents(
        _ id: TraceID, selection: ComponentSelection = ComponentSelection(), offset: Int = 0, limit: Int? = nil,
        damage policy: DamagePolicy
    ) throws(LogError) -> Answer<TraceComponentPage?> {
        var damage: [DamagedRegion] = []
        let outline = try outline(id, selector: selection.selector, damage: &damage)
        guard let first = outline.first, let startTime = outline.startTime else {
            return try policy.answer(nil, damage: damage)
        }
        let shown = outline.select(selection)
        let start = min(max(offset, 0), shown.count)
        let end = limit.map { min(start + max($0, 0), shown.count) } ?? shown.count
        var wanted: Set<UInt64> = []
        for index in shown[start..<end] { wanted.insert(outline.components[index].entity) }
        var builder = ComponentBuilder()
        if !wanted.isEmpty {
            // Records appended since the first pass are left out, so the page agrees with the total.
            let last = outline.lastSeq
            try reader.forEachRecord(inTrace: id, skippingDamage: &damage) { seq, view throws(RecordDecodingError) in
                guard seq >= first.seq, seq <= last, let (type, entityID) = TraceOutline.entity(view),
                    wanted.contains(TraceOutline.hash(type, entityID))
                else { return }
                builder.add(StoredRecord(seq: seq, record: try view.record()))
            }
        }
        let (outcome, failedExecutions) = outline.outcome
        let page = TraceComponentPage(
            id: id, tag: outline.tag, startTime: startTime, engine: outline.engine, outcome: outcome,
            failedExecutions: failedExecutions, total: shown.count, offset: start,
            components: builder.sortedComponents())
        return try policy.answer(page, damage: damage)
    }

    /// One pass over a trace's records as views; adds the damage that may hide some of them (only damage at or
    /// after its trace-start record counts, all of it when none is found).
    private func outline(_ id: TraceID, selector: EntityRef?, damage: inout [DamagedRegion]) throws(LogError)
        -> TraceOutline
    {
        var outline = TraceOutline(selector: selector)
        try reader.forEachRecord(inTrace: id, skippingDamage: &damage) { seq, view throws(RecordDecodingError) in
            guard let fields = RecordFields(view) else {
                throw RecordDecodingError(offset: 0, reason: "malformed record framing")
            }
            try view.validate(fields)
            outline.add(seq: seq, view, fields)
        }
        let span = outline.first.map { $0.kind == .traceStart ? $0.seq..<UInt64.max : 0..<UInt64.max }
        damage += try reader.damage(touching: span ?? 0..<UInt64.max)
        return outline
    }
}
