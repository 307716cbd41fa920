public import TraceLogStorage

/// Trace resolution and writing for one store, used on its ingest thread only (see
/// ``WritableTraceStore/withIngestSession(_:)``).
///
/// Resolve units of events with ``resolve(unit:outcomes:)``; their records wait in the session until
/// ``flush()`` (or the end of the session's call) writes them in one append and hands the written batches to
/// the store's indexes. Sequence numbers are handed out when a unit is resolved: they are those of the records
/// once written, since all of the store's appends go through this session in order.
public struct IngestSession: ~Copyable {
    private var resolver: TraceResolver
    private var outcome = TraceResolver.Outcome()
    private var resolved: [TraceResolver.Resolved] = []
    private let writer: LogWriter
    private let reader: LogReader
    /// The sequence number of the first pending record.
    private var baseSeq: UInt64
    /// The time given to events that carry none (set when the session's call starts).
    var now: Timestamp

    init(writer: LogWriter, reader: LogReader, cacheGeneration: Int) {
        self.writer = writer
        self.reader = reader
        resolver = TraceResolver(
            lookupEntity: { entity throws(LogError) in try reader.traceID(ofEntity: entity) },
            lookupTrace: { id throws(LogError) in try reader.containsTrace(id) },
            lookupFirstRecord: { entity throws(LogError) in try reader.firstOwnRecord(of: entity) },
            cache: ResolutionCache(generationLimit: cacheGeneration))
        baseSeq = writer.endSeq
        now = .now()
    }

    /// A point to roll back to: see ``rollback(to:)``.
    public struct Mark: Hashable, Sendable {
        fileprivate var baseSeq: UInt64
        fileprivate var outcome: TraceResolver.Outcome.Mark
    }

    /// Records resolved and not yet written.
    public var pendingRecordCount: Int { outcome.records.count }

    /// The sequence number the next resolved record will get.
    public var nextSeq: UInt64 { baseSeq + UInt64(outcome.records.count) }

    /// Where the session is now.
    public var mark: Mark { Mark(baseSeq: baseSeq, outcome: outcome.mark) }

    /// Takes out every unit resolved after `mark` that is not written yet (an atomic request that a later unit
    /// rejected). Units flushed since then stay written.
    public mutating func rollback(to mark: Mark) {
        if mark.baseSeq == baseSeq {
            outcome.rollback(to: mark.outcome)
        } else {
            outcome.reset()
        }
    }

    /// Resolves one all-or-nothing unit (SPEC §2) and appends one outcome per event to `outcomes`: `.stored` with
    /// the trace and sequence number each event gets (`.duplicate` for a trigger instance resent with the same
    /// content), or — when an event is rejected — `.rejected` for it and `.notStored` for the unit's other
    /// events. A rejected unit leaves nothing pending.
    ///
    /// - Returns: the index within the unit of its first rejected event and the error; nil if it was accepted.
    /// - Throws: ``LogError`` only when looking something up in the log fails.
    @discardableResult
    public mutating func resolve(
        unit events: some Collection<IncomingEvent>, outcomes: inout [EventOutcome]
    ) throws(LogError) -> (event: Int, error: ResolutionError)? {
        resolved.removeAll(keepingCapacity: true)
        if let rejection = try resolver.resolve(
            unit: events, now: now, firstSeq: baseSeq, into: &outcome, resolved: &resolved)
        {
            for index in 0..<events.count {
                outcomes.append(index == rejection.event ? .rejected(rejection.error) : .notStored)
            }
            return rejection
        }
        for event in resolved {
            if let index = event.recordIndex {
                outcomes.append(.stored(trace: event.traceID, seq: baseSeq + UInt64(index)))
            } else {
                outcomes.append(.duplicate(trace: event.traceID))
            }
        }
        return nil
    }

    /// Writes every pending record in one append, hands the written batches to the store's indexes and
    /// remembers what they introduced; returns their sequence numbers.
    ///
    /// Written means handed to the operating system: durability is the caller's (the store waits for it per
    /// its durability mode when the session's call ends). If the write fails, nothing of it stays in the log
    /// (see ``LogWriter``) and the pending records are dropped.
    @discardableResult
    public mutating func flush() throws(LogError) -> Range<UInt64> {
        guard !outcome.records.isEmpty else { return baseSeq..<baseSeq }
        let written: (range: Range<UInt64>, written: [WrittenBatch])
        do {
            written = try writer.appendWrittenHandingOff(outcome.records)
        } catch {
            outcome.reset()
            baseSeq = writer.endSeq
            throw error
        }
        precondition(written.range.lowerBound == baseSeq, "records were appended past the ingest session")
        resolver.absorb(outcome)
        outcome.reset()
        baseSeq = written.range.upperBound
        try reader.absorb(written.written)
        return written.range
    }
}

extension IngestSession {
    /// Resolves a batch per its mode (see ``IngestMode``) and leaves its records pending.
    ///
    /// In `atomic` mode every unit is resolved, so that every rejection is reported, and if any is rejected the
    /// whole batch is rolled back. In `stopAtFirstRejection` mode units after the first rejected one get
    /// `.notStored`.
    public mutating func ingest(_ batch: IngestBatch) throws(LogError) -> IngestResult {
        let start = mark
        let firstSeq = nextSeq
        var outcomes: [EventOutcome] = []
        outcomes.reserveCapacity(batch.events.count)
        var rejections: [UnitRejection] = []
        var unit = 0
        while unit < batch.unitCount {
            let range = batch.eventRange(ofUnit: unit)
            if let rejection = try resolve(unit: batch.events[range], outcomes: &outcomes) {
                rejections.append(
                    UnitRejection(unit: unit, event: range.lowerBound + rejection.event, error: rejection.error))
                if batch.mode == .stopAtFirstRejection {
                    outcomes.append(contentsOf: repeatElement(.notStored, count: batch.events.count - range.upperBound))
                    break
                }
            }
            unit += 1
        }
        if batch.mode == .atomic, !rejections.isEmpty {
            rollback(to: start)
            outcomes = outcomes.map { if case .rejected = $0 { $0 } else { .notStored } }
        }
        let accepted = outcomes.count { $0.seq != nil }
        let duplicates = outcomes.count { if case .duplicate = $0 { true } else { false } }
        return IngestResult(
            outcomes: outcomes, rejectedUnits: rejections, accepted: accepted, duplicates: duplicates,
            seqs: firstSeq..<nextSeq)
    }
}

extension IngestSession {
    /// Retention between ingests: writes what is pending, deletes whole sealed segments whose records are all
    /// older than `cutoff` (keeping the start of every trace that has records left, see
    /// ``TraceLogStorage/LogWriter/deleteSegments(olderThan:)``), and, if anything went, makes resolution forget
    /// what it knew, so a later event about a deleted entity starts afresh instead of joining a trace that is gone.
    mutating func purge(before cutoff: Timestamp) throws(LogError) -> RetentionResult {
        try flush()
        let result = try writer.deleteSegments(olderThan: cutoff)
        if !result.deletedSegments.isEmpty || result.carriedTraceStarts > 0 {
            resolver.cache = ResolutionCache(generationLimit: resolver.cache.generationLimit)
            try reader.refresh()
        }
        baseSeq = writer.endSeq
        return result
    }
}
