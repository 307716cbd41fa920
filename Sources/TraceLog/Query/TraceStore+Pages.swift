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
        let (outline, _) = try outline(id, selector: nil, noting: 0, damage: &damage)
        return try policy.answer(outline.records == 0 ? nil : outline.summary(id: id), damage: damage)
    }

    /// The components a selection shows of a trace, `limit` of them (nil: all) after the first `offset`, in time
    /// order, with how many it shows in all; nil when there is no such trace.
    ///
    /// Gives the components ``TraceProjection/select(_:)`` gives, without building the projection: a first pass
    /// over the trace's records as views keeps a few numbers per component and selects on them, a second decodes
    /// only the records of the page's components. For a trace of up to 65,536 component records the
    /// first pass notes their sequence numbers, so the second reads those alone (no second index probe, and no
    /// batch without a record of the page); a larger trace is looked up again, so memory stays about 50 bytes per
    /// component plus the page. Time: two reads of the trace's batches at most. Damage counts as for
    /// ``trace(_:damage:)``.
    public func traceComponents(
        _ id: TraceID, selection: ComponentSelection = ComponentSelection(), offset: Int = 0, limit: Int? = nil,
        damage policy: DamagePolicy
    ) throws(LogError) -> Answer<TraceComponentPage?> {
        try traceComponents(
            id, selection: selection, offset: offset, limit: limit, damage: policy, noting: Self.notedRecordLimit)
    }

    /// ``traceComponents(_:selection:offset:limit:damage:)`` noting at most `noting` records in the first pass
    /// (tests take both ways of the second pass with it).
    func traceComponents(
        _ id: TraceID, selection: ComponentSelection, offset: Int, limit: Int?, damage policy: DamagePolicy,
        noting: Int
    ) throws(LogError) -> Answer<TraceComponentPage?> {
        var damage: [DamagedRegion] = []
        let (outline, noted) = try outline(id, selector: selection.selector, noting: noting, damage: &damage)
        guard let first = outline.first, let startTime = outline.startTime else {
            return try policy.answer(nil, damage: damage)
        }
        let shown = outline.select(selection)
        let start = min(max(offset, 0), shown.count)
        let end = limit.map { min(start + max($0, 0), shown.count) } ?? shown.count
        var wanted: Set<UInt64> = []
        for index in shown[start..<end] { wanted.insert(outline.components[index].entity) }
        var builder = ComponentBuilder()
        if !wanted.isEmpty, let noted {
            // Only records the first pass took in, so records appended since are left out and the page agrees
            // with the total.
            let seqs = noted.compactMap { wanted.contains($0.entity) ? $0.seq : nil }
            try reader.forEachRecord(at: seqs, inTrace: id, skippingDamage: &damage) {
                seq, view throws(RecordDecodingError) in
                builder.add(StoredRecord(seq: seq, record: try view.record()))
            }
        } else if !wanted.isEmpty {
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

    /// Up to this many component records (16 bytes each, 1 MiB in all), a page's first pass notes where they are;
    /// a larger trace is looked up again in the second.
    static let notedRecordLimit = 1 << 16

    /// One pass over a trace's records as views; adds the damage that may hide some of them (only damage at or
    /// after its trace-start record counts, all of it when none is found). Also returns the sequence number and
    /// entity hash of each record a component is built from, in sequence order, when there are at most `noting`
    /// of them (nil otherwise).
    private func outline(
        _ id: TraceID, selector: EntityRef?, noting limit: Int, damage: inout [DamagedRegion]
    ) throws(LogError) -> (TraceOutline, [(seq: UInt64, entity: UInt64)]?) {
        var outline = TraceOutline(selector: selector)
        var noted: [(seq: UInt64, entity: UInt64)]? = limit > 0 ? [] : nil
        try reader.forEachRecord(inTrace: id, skippingDamage: &damage) { seq, view throws(RecordDecodingError) in
            guard let fields = RecordFields(view) else {
                throw RecordDecodingError(offset: 0, reason: "malformed record framing")
            }
            try view.validate(fields)
            let entity = outline.add(seq: seq, view, fields)
            if entity != 0, let count = noted?.count {
                if count < limit { noted?.append((seq, entity)) } else { noted = nil }
            }
        }
        let span = outline.first.map { $0.kind == .traceStart ? $0.seq..<UInt64.max : 0..<UInt64.max }
        damage += try reader.damage(touching: span ?? 0..<UInt64.max)
        return (outline, noted)
    }
}
