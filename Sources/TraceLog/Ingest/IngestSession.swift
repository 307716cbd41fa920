import Dispatch
import Synchronization
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
    /// The sequence number of the first pending record (records handed to the write thread count as written).
    private var baseSeq: UInt64
    /// Writes handed-off records, one append at a time, in order (see ``flushInBackground(_:)``).
    private let writeStage: WriteStage
    /// The time given to events that carry none (set when the session's call starts).
    var now: Timestamp

    init(writer: LogWriter, reader: LogReader, cacheGeneration: Int) {
        self.writer = writer
        self.reader = reader
        let stage = WriteStage(writer: writer, reader: reader)
        writeStage = stage
        // The writer is the log's only one: a log with no record yet gets every entity through this cache.
        var cache = ResolutionCache(generationLimit: cacheGeneration, logIsEmpty: writer.endSeq == 0)
        // Records in flight are known to the cache but maybe not yet to the indexes: before the cache forgets
        // anything, they are written (a generation holds far more than one write, so this almost never waits).
        cache.willForget = { stage.waitUntilIdle() }
        resolver = TraceResolver(
            lookupEntity: { key throws(LogError) in try reader.traceID(ofEntity: key.ref, hash: key.hash) },
            lookupTrace: { id throws(LogError) in try reader.containsTrace(id) },
            lookupFirstRecord: { entity throws(LogError) in
                // The first record may be in flight: the indexes know it once it is written.
                stage.waitUntilIdle()
                return try reader.firstOwnRecord(of: entity)
            },
            cache: cache)
        baseSeq = writer.endSeq
        now = .now()
    }

    /// A point to roll back to: see ``rollback(to:)``.
    public struct Mark: Hashable, Sendable {
        fileprivate var baseSeq: UInt64
        fileprivate var resolution: TraceResolver.Mark
    }

    /// Records resolved and not yet written.
    public var pendingRecordCount: Int { outcome.records.count }

    /// The sequence number the next resolved record will get.
    public var nextSeq: UInt64 { baseSeq + UInt64(outcome.records.count) }

    /// Where the session is now.
    public var mark: Mark { Mark(baseSeq: baseSeq, resolution: resolver.mark(of: outcome)) }

    /// Takes out every unit resolved after `mark` that is not written yet (an atomic request that a later unit
    /// rejected). Units flushed since then stay written.
    public mutating func rollback(to mark: Mark) {
        if mark.baseSeq == baseSeq {
            resolver.rollback(&outcome, to: mark.resolution)
        } else {
            // Everything pending was resolved after the flush, so after the mark.
            resolver.discard(&outcome)
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
        var events = Array(events)
        return try resolve(taking: &events, range: events.indices, outcomes: &outcomes)
    }

    /// ``resolve(unit:outcomes:)`` of the unit `events[range]` without copying its events: the body of each event
    /// that becomes a record is moved into the record, and a placeholder is left in `events` (read nothing of
    /// the unit's events afterwards but their count). The pipeline's path, where every copy of an event costs a
    /// reference-count update per string it holds.
    @discardableResult
    public mutating func resolve(
        taking events: inout [IncomingEvent], range: Range<Int>, outcomes: inout [EventOutcome]
    ) throws(LogError) -> (event: Int, error: ResolutionError)? {
        // A scratch buffer, emptied now and then rather than per unit (emptying costs more than a unit's use).
        if resolved.count >= 1024 { resolved.removeAll(keepingCapacity: true) }
        let first = resolved.count
        if let rejection = try resolver.resolve(
            unit: &events, range: range, now: now, firstSeq: baseSeq, into: &outcome, resolved: &resolved)
        {
            for index in 0..<range.count {
                outcomes.append(index == rejection.event ? .rejected(rejection.error) : .notStored)
            }
            return rejection
        }
        // By index: a slice of the buffer would retain and release it once per unit.
        for position in first..<resolved.count {
            let event = resolved[position]
            if let index = event.recordIndex {
                outcomes.append(.stored(trace: event.traceID, seq: baseSeq + UInt64(index)))
            } else {
                outcomes.append(.duplicate(trace: event.traceID))
            }
        }
        return nil
    }

    /// Writes every pending record in one append, hands the written batches to the store's indexes and
    /// remembers what they introduced; returns their sequence numbers once written.
    ///
    /// Written means handed to the operating system: durability is the caller's (the store waits for it per
    /// its durability mode when the session's call ends). If the write fails, nothing of it stays in the log
    /// (see ``LogWriter``).
    @discardableResult
    public mutating func flush() throws(LogError) -> Range<UInt64> {
        let outcome = Mutex<Result<Range<UInt64>, LogError>?>(nil)
        flushInBackground { result in outcome.withLock { $0 = result } }
        waitForWrites()
        return try outcome.withLock { $0 }!.get()
    }

    /// Hands every pending record to the write thread and returns, so resolution goes on while they are
    /// encoded, compressed, written and indexed; `completion` gets their sequence numbers, or the error, on the
    /// write thread. Up to ``WriteStage/queuedWrites`` writes wait for that thread; a flush past them waits for
    /// room.
    ///
    /// What the records introduce was entered in the resolution cache when they were resolved, so later units
    /// resolve against them while they are written (a failed write stops the writer, so nothing resolved against
    /// them is ever written either: writes queued behind it fail as the stopped writer refuses them).
    mutating func flushInBackground(_ completion: @escaping @Sendable (Result<Range<UInt64>, LogError>) -> Void) {
        if let failure = writeStage.failure {
            // A write failed and the writer stopped: what was resolved since is refused as the writer refuses it.
            resolver.discard(&outcome)
            baseSeq = writer.endSeq
            completion(.failure(.writerStopped(cause: (writer.stopReason ?? failure).description)))
            return
        }
        let expected = baseSeq..<(baseSeq + UInt64(outcome.records.count))
        guard !outcome.records.isEmpty else {
            completion(.success(expected))
            return
        }
        let records = resolver.commit(&outcome)
        baseSeq = expected.upperBound
        writeStage.write(records, expected: expected, completion: completion)
    }

    /// Waits until every record handed to the write thread is written (or failed).
    func waitForWrites() {
        writeStage.waitUntilIdle()
    }
}

/// The write thread of an ingest session: appends handed-off records in order and indexes them in this process.
private final class WriteStage: Sendable {
    /// Writes that may be handed over before the oldest is done: with two, the ingest thread never waits for a
    /// write to finish before handing over the next, so resolution keeps running while the write thread — the
    /// pipeline's slowest stage — always has its next write ready. With one, resolution stalled behind every write
    /// (`tracelog ingest` of 1M lines: 1.69–1.87 s against 1.49–1.73 s with two, alternating runs).
    static let queuedWrites = 2

    private let queue = DispatchQueue(label: "tracelog.ingest-write", qos: .userInitiated)
    private let writer: LogWriter
    private let reader: LogReader
    private let failed = Mutex<LogError?>(nil)
    /// Counts the writes handed over and not yet done (see ``queuedWrites``).
    private let room = DispatchSemaphore(value: queuedWrites)

    init(writer: LogWriter, reader: LogReader) {
        self.writer = writer
        self.reader = reader
    }

    /// The error of a failed write, after which nothing more is written.
    var failure: LogError? { failed.withLock { $0 } }

    func waitUntilIdle() {
        queue.sync {}
    }

    /// Hands `records` to the write thread; waits first while ``queuedWrites`` writes are not done.
    func write(
        _ records: consuming sending [Record], expected: Range<UInt64>,
        completion: @escaping @Sendable (Result<Range<UInt64>, LogError>) -> Void
    ) {
        // Consumed, so the caller's reference is gone before the write thread runs: the writer takes the records
        // out of the array, and a second reference would make it copy the whole array first.
        let records = Mutex(Optional(records))
        room.wait()
        queue.async {
            defer { self.room.signal() }
            var batch = records.withLock { $0.take() } ?? []
            let result = Result { () throws(LogError) -> Range<UInt64> in
                let written = try self.writer.appendWrittenHandingOff(&batch)
                precondition(written.range == expected, "records were appended past the ingest session")
                try self.reader.absorb(written.written)
                return written.range
            }
            if case .failure(let error) = result { self.failed.withLock { $0 = $0 ?? error } }
            completion(result)
        }
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
        var events = batch.events  // copied on the first event taken out of it, once for the whole batch
        var unit = 0
        while unit < batch.unitCount {
            let range = batch.eventRange(ofUnit: unit)
            if let rejection = try resolve(taking: &events, range: range, outcomes: &outcomes) {
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
        let willForget = resolver.cache.willForget
        let result = try writer.deleteSegments(olderThan: cutoff)
        if !result.deletedSegments.isEmpty || result.carriedTraceStarts > 0 {
            resolver.cache = ResolutionCache(generationLimit: resolver.cache.generationLimit)
            resolver.cache.willForget = willForget
            try reader.refresh()
        }
        baseSeq = writer.endSeq
        return result
    }
}
