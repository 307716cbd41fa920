public import TraceLogStorage

/// Puts each trace's `trace` line before its other records in a replay, so that `replay | ingest` reproduces
/// every trace even when its start is not where it began.
///
/// Retention (`purge`, `serve --retention`) carries the start of a trace that straddles a deleted segment to the
/// end of the log (see ``TraceLogStorage/LogWriter/deleteSegments(olderThan:)``), so it comes after records of
/// its trace. Fed records in sequence order, this prints such a start just before the trace's first record
/// (looked up through the index) and skips it where it stands. A trace whose start is before the replayed range
/// (`--from`) gets no `trace` line: whoever reads the replay has it from an earlier one — nor does it when its
/// carried start falls in the range. A second start of the same trace (left by a retention pass that crashed
/// before deleting) is skipped.
///
/// Cost: one index lookup for the first record of each trace whose start it has not seen in this replay, and,
/// for a replay that does not begin at the start of the log, one for each trace start in the range; it
/// remembers up to a million traces, then forgets them all and looks them up again as needed.
public struct ReplayOrder {
    private let reader: LogReader
    /// Whether the replay began after the start of the log (`--from`).
    private let partial: Bool
    /// The traces whose start or first record this replay has passed (a fast set: it is asked about every record).
    private var seen = TraceIDSet()
    private var printedEarly: Set<TraceID> = []
    private let limit: Int
    /// Scratch for ``steps(for:seqs:into:)``: each record's seq, trace and whether it is a trace start.
    private var keys: [(seq: UInt64, traceID: TraceID, isStart: Bool)] = []

    /// An order for records read from `reader`, beginning at sequence number `from`.
    public init(reader: LogReader, from: UInt64 = 0, rememberedTraces limit: Int = 1_000_000) {
        self.reader = reader
        partial = from > reader.startSeq
        self.limit = limit
    }

    /// What a replay does with one record.
    public enum Step {
        /// Print the record.
        case print
        /// Print nothing: a trace start printed already, or one whose trace a reader of this replay has.
        case skip
        /// Print this trace start (carried forward by retention, so later in the log), then the record. (Boxed:
        /// steps are kept per batch and copied per record, and the rare start should not make every step large.)
        indirect case printStartFirst(Record)
    }

    /// Decides what to print for the record at `seq` from its trace and kind alone, so a replay can run on
    /// zero-copy views (``RecordView``) and build a ``Record`` only for a start it prints early.
    /// Allocates nothing for a record in order.
    public mutating func step(seq: UInt64, traceID: TraceID, isTraceStart: Bool) throws(LogError) -> Step {
        if isTraceStart {
            if printedEarly.remove(traceID) != nil || !remember(traceID) { return .skip }
            // In a replay that began later, a start after a record of its trace was carried: the reader has it.
            if partial, let first = try reader.firstSeq(inTrace: traceID), first < seq { return .skip }
            return .print
        }
        if !seen.contains(traceID), !printedEarly.contains(traceID) {
            _ = remember(traceID)
            if let start = try reader.traceStart(of: traceID), start.seq > seq {
                printedEarly.insert(traceID)
                return .printStartFirst(try reader.record(at: start.seq).record)
            }
        }
        return .print
    }

    /// The steps for the records of `batch` whose sequence numbers are in `seqs`, in order, into `steps`
    /// (emptied first, its capacity kept): one pass over the batch's views reads trace ids and kinds, then the
    /// decisions (which may look up the index) are made outside the view closure.
    public mutating func steps(
        for batch: ScannedBatch, seqs: Range<UInt64>, into steps: inout [Step]
    ) throws(LogError) {
        steps.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        try batch.forEach { seq, view in
            guard seqs.contains(seq) else { return }
            keys.append((seq, view.traceID, view.kind == .traceStart))
        }
        for key in keys { steps.append(try step(seq: key.seq, traceID: key.traceID, isTraceStart: key.isStart)) }
    }

    /// Calls `body` with the records to print for `stored`, in order: the record, the trace's start then the
    /// record, or nothing (a start that was printed already). Allocates nothing for a record in order.
    public mutating func forEachRecord(
        toPrint stored: StoredRecord, _ body: (Record) throws(LogError) -> Void
    ) throws(LogError) {
        let isStart = if case .traceStart = stored.record.body { true } else { false }
        switch try step(seq: stored.seq, traceID: stored.record.traceID, isTraceStart: isStart) {
        case .skip: return
        case .print: try body(stored.record)
        case .printStartFirst(let start):
            try body(start)
            try body(stored.record)
        }
    }

    /// Notes a trace; false when it was noted already.
    private mutating func remember(_ traceID: TraceID) -> Bool {
        if seen.count >= limit { seen.removeAll() }
        return seen.insert(traceID)
    }
}
