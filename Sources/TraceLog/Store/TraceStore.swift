import Synchronization
public import TraceLogStorage

/// A trace log: the storage log plus trace resolution on the way in and projections on the way out.
///
/// Open it read-write (one per directory: it holds the writer lock) to ingest, or read-only to query while
/// another process writes. Thread-safe; ingests are serialized so that resolution always sees every earlier
/// ingest.
public final class TraceStore: Sendable {
    /// The log directory.
    public let directory: String
    /// The writer, when opened read-write.
    public let writer: LogWriter?
    /// The reader behind every query.
    public let reader: LogReader
    let resolution: Mutex<ResolutionCache>

    private init(directory: String, writer: LogWriter?, reader: LogReader) {
        self.directory = directory
        self.writer = writer
        self.reader = reader
        resolution = Mutex(ResolutionCache())
    }

    /// Opens (creating if needed) a log for ingest and queries; takes the directory's writer lock.
    public static func open(directory: String, options: LogOptions = LogOptions()) throws(LogError) -> TraceStore {
        let writer = try LogWriter.open(directory: directory, options: options)
        let reader = try LogReader(directory: directory, persistsIndexes: true, faults: options.faults)
        return TraceStore(directory: directory, writer: writer, reader: reader)
    }

    /// Opens an existing log for queries only; takes no lock, so a writer may be running elsewhere.
    public static func openReadOnly(directory: String) throws(LogError) -> TraceStore {
        TraceStore(directory: directory, writer: nil, reader: try LogReader(directory: directory))
    }

    /// What an ingest did.
    public struct IngestResult: Sendable {
        /// Events stored.
        public var accepted: Int
        /// Events rejected, by their index in the input, with the reason. They wrote nothing.
        public var rejected: [(index: Int, error: ResolutionError)]
        /// The sequence numbers of the records written (trace starts included).
        public var seqs: Range<UInt64>
        /// Events that repeated a trigger instance already recorded with the same content: not written again,
        /// counted neither as accepted nor as rejected.
        public var duplicates: Int = 0
    }

    /// Resolves events into traces and appends them; returns once acknowledged per the durability mode.
    ///
    /// - Parameter atomic: when true, one rejected event rejects the whole call and nothing is written;
    ///   when false, valid events are stored and rejected ones reported.
    public func ingest(_ events: [IncomingEvent], atomic: Bool = false) async throws(LogError) -> IngestResult {
        guard let writer else { throw .invalidArgument("the log is open read-only") }
        let result = try resolution.withLock { cache throws(LogError) -> IngestResult in
            var resolver = TraceResolver(
                lookupEntity: { entity throws(LogError) in try self.reader.traceID(ofEntity: entity) },
                lookupTrace: { id throws(LogError) in try self.reader.containsTrace(id) },
                lookupFirstRecord: { entity throws(LogError) in try self.reader.firstOwnRecord(of: entity) },
                cache: ResolutionCache())
            // Move the cache in and out instead of copying it: it holds millions of entries, and a copy-on-write
            // copy per chunk made ingest slow down as the log grew.
            swap(&resolver.cache, &cache)
            let resolved = Result { () throws(LogError) in
                try resolver.resolve(events, now: .now(), firstSeq: writer.endSeq)
            }
            swap(&resolver.cache, &cache)
            let outcome = try resolved.get()
            let rejected = outcome.rejected
            if outcome.records.isEmpty || (atomic && !rejected.isEmpty) {
                let duplicates = atomic && !rejected.isEmpty ? 0 : outcome.duplicates.count
                return IngestResult(
                    accepted: 0, rejected: rejected, seqs: writer.endSeq..<writer.endSeq, duplicates: duplicates)
            }
            let seqs = try writer.appendWritten(outcome.records)
            cache.absorb(outcome)
            // Index what was just written, so the next ingest and every query see it.
            try reader.refresh()
            let duplicates = outcome.duplicates.count
            return IngestResult(
                accepted: events.count - rejected.count - duplicates, rejected: rejected, seqs: seqs,
                duplicates: duplicates)
        }
        try await writer.waitUntilDurable(upTo: result.seqs.upperBound)
        return result
    }

    /// The trace with this id, rebuilt from its records; nil when there is none.
    public func trace(_ id: TraceID) throws(LogError) -> TraceProjection? {
        let records = try reader.records(inTrace: id)
        return records.isEmpty ? nil : TraceProjection(id: id, records: records)
    }

    /// The trace an entity belongs to, if any.
    public func traceID(of entity: EntityRef) throws(LogError) -> TraceID? {
        try reader.traceID(ofEntity: entity)
    }

    /// Picks up records another process appended since the last call (read-only stores).
    public func refresh() throws(LogError) {
        try reader.refresh()
    }

    /// Syncs, checkpoints the index of the last segment (so the next open maps it instead of scanning the
    /// segment), and closes the writer, if any. A checkpoint that cannot be written only costs the next open
    /// a scan, so its failure is not an error of `close`; a failed sync is.
    public func close() throws(LogError) {
        guard let writer else { return }
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
