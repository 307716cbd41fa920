public import TraceLogStorage

/// A trace log opened for ingest (and queries): the only way into the log, since every event goes through trace
/// resolution (SPEC §2) before it is appended.
///
/// One per directory: opening takes the directory's writer lock. Ingest runs on one dedicated thread
/// (``IngestQueue``), never on Swift's cooperative pool: resolution, encoding, compression, `pwrite` and the
/// `fdatasync` of a segment roll all happen there, so an ingest never starves a server's request handling.
/// What the writer appends is handed straight to this process's indexes (no read-back, no decompression).
/// Concurrent ingest calls are taken in arrival order and written together. Thread-safe.
public final class WritableTraceStore: TraceStore, @unchecked Sendable {
    let writer: LogWriter
    let queue: IngestQueue

    private init(directory: String, writer: LogWriter, reader: LogReader, cacheGeneration: Int) {
        self.writer = writer
        queue = IngestQueue(writer: writer, reader: reader, cacheGeneration: cacheGeneration)
        super.init(directory: directory, reader: reader)
    }

    /// Opens (creating if needed) a log for ingest and queries; takes the directory's writer lock and recovers
    /// the last segment first (see ``recoveryReport``).
    ///
    /// - Parameter resolutionCacheEntries: entries per generation of the bounded resolution cache (see the
    ///   type's documentation); what it forgets is looked up in the indexes.
    public static func open(
        directory: String, options: LogOptions = LogOptions(),
        resolutionCacheEntries: Int = 1 << 18
    ) throws(LogError) -> WritableTraceStore {
        let writer = try LogWriter.open(directory: directory, options: options)
        let reader = try LogReader(directory: directory, persistsIndexes: true, faults: options.faults)
        return WritableTraceStore(
            directory: directory, writer: writer, reader: reader, cacheGeneration: resolutionCacheEntries)
    }

    /// What opening found and repaired (a torn tail cut, stray files removed).
    public var recoveryReport: RecoveryReport { writer.recoveryReport }

    /// The options the log was opened with.
    public var options: LogOptions { writer.options }

    /// The sequence number the next record gets (the number of records ever appended).
    public var endSeq: UInt64 { writer.endSeq }

    /// Records below this sequence number are durable.
    public var durableSeq: UInt64 { writer.durableSeq }

    /// How many `fdatasync` calls the writer made and their total time in nanoseconds.
    public var syncStatistics: (count: Int, nanoseconds: UInt64) { writer.syncStatistics }
    /// The latency of every `fdatasync` so far, in buckets (see ``LogWriter/syncLatency``).
    public var syncLatency: SyncLatencyHistogram { writer.syncLatency }

    /// Runs `body` on the ingest thread with the store's ``IngestSession``, then writes what it resolved and
    /// waits until that is acknowledged per the durability mode.
    ///
    /// `body` resolves units of events (``IngestSession/resolve(unit:outcomes:)``); it may write part of its work earlier
    /// with ``IngestSession/flush()``. If `body` throws, the units it resolved and did not flush are dropped.
    /// Sessions of concurrent calls run one after another on the same thread and are written together.
    ///
    /// - Returns: what `body` returned. Sequence numbers the session handed out are valid once this returns.
    public func withIngestSession<T: Sendable>(
        _ body: @escaping @Sendable (inout IngestSession) throws(LogError) -> T
    ) async throws(LogError) -> T {
        try await submitIngestSession(body).value()
    }

    /// ``withIngestSession(_:)`` without waiting: hands `body` to the ingest thread after every call submitted
    /// before it, and returns the ticket that delivers its value. A caller that submits its next call before
    /// awaiting the last keeps resolution busy while the last call's records are written.
    public func submitIngestSession<T: Sendable>(
        _ body: @escaping @Sendable (inout IngestSession) throws(LogError) -> T
    ) -> IngestTicket<T> {
        queue.submit(body) { [writer] endSeq throws(LogError) in try await writer.waitUntilDurable(upTo: endSeq) }
    }

    /// Resolves and appends a batch of events per its mode; returns once acknowledged per the durability mode.
    public func ingest(_ batch: IngestBatch) async throws(LogError) -> IngestResult {
        try await withIngestSession { session throws(LogError) in try session.ingest(batch) }
    }

    /// Resolves events into traces and appends them, each event its own unit.
    ///
    /// - Parameter atomic: when true, one rejected event rejects the whole call and nothing is written;
    ///   when false, valid events are stored and rejected ones reported.
    public func ingest(_ events: [IncomingEvent], atomic: Bool = false) async throws(LogError) -> IngestResult {
        try await ingest(IngestBatch(events: events, mode: atomic ? .atomic : .independent))
    }

    /// Retention on the open store: deletes whole sealed segments whose records are all older than `cutoff`,
    /// keeping the start of every trace that has records left; resolution then forgets the deleted entities and
    /// traces. Runs on the ingest thread between ingest calls. What `tracelog purge`, `serve --retention` and
    /// `POST /v1/purge` run.
    public func purge(before cutoff: Timestamp) async throws(LogError) -> RetentionResult {
        try await withIngestSession { session throws(LogError) in try session.purge(before: cutoff) }
    }

    /// Why the writer stopped (a failed write or `fdatasync`), or nil while it takes appends: after it stopped,
    /// only reopening the log goes on (see the README's operator notes).
    public var stopReason: LogError? { writer.stopReason }

    /// Makes everything appended so far durable now (`fdatasync`), whatever the durability mode.
    public func sync() throws(LogError) {
        try writer.sync()
    }

    /// Syncs, checkpoints the index of the last segment (so the next open maps it instead of scanning the
    /// segment), and closes the writer. A checkpoint that cannot be written only costs the next open a scan, so
    /// its failure is not an error of `close`; a failed sync is.
    public func close() throws(LogError) {
        queue.close()
        do {
            try writer.sync()
            try? reader.persistIndexes()
        } catch .closed {
            return  // closed before
        } catch {
            try? writer.close()
            throw error
        }
        try writer.close()
    }
}
