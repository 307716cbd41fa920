import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single writer of a log directory: appends records in batches and makes them durable.
///
/// Opening takes an exclusive lock on the directory (a second writer, in this or another process, gets
/// ``LogError/locked(directory:)``) and recovers the last segment (see ``RecoveryReport``); its cost does not
/// depend on the size of the log. Appends are serialized; each call encodes its records, compresses them into
/// batches of about ``LogOptions/batchTargetBytes`` and writes them before it returns, then waits for
/// durability as ``LogOptions/durability`` says. Thread-safe.
public final class LogWriter: Sendable {
    /// The log directory.
    public let directory: String
    /// The options it was opened with.
    public let options: LogOptions
    /// What opening found and repaired.
    public let recoveryReport: RecoveryReport

    private let core: SharedWriterCore
    private let commit: GroupCommit
    private let lockFile: OpenFile

    private init(
        directory: String, options: LogOptions, report: RecoveryReport, core: SharedWriterCore, commit: GroupCommit,
        lockFile: OpenFile
    ) {
        self.directory = directory
        self.options = options
        self.recoveryReport = report
        self.core = core
        self.commit = commit
        self.lockFile = lockFile
    }

    /// Opens (creating if needed) the log in `directory` for writing, recovering it first.
    public static func open(directory: String, options: LogOptions = LogOptions()) throws(LogError) -> LogWriter {
        let io = FileIO(faults: options.faults)
        let logDirectory = LogDirectory(path: directory, io: io)
        try withIOErrors { () throws(SystemError) in try io.createDirectory(directory) }
        let lockFile = try withIOErrors { () throws(SystemError) in
            try io.open(logDirectory.file(SegmentName.lockFile), flags: O_RDWR | O_CREAT)
        }
        do {
            try io.lockExclusive(lockFile.descriptor, lockFile.path)
        } catch {
            if error.errno == EWOULDBLOCK { throw .locked(directory: directory) }
            throw .io(error)
        }
        let recovered = try WriterRecovery.recover(logDirectory)
        var writerCore = WriterCore(directory: logDirectory, options: options, recovered: recovered)
        if recovered.needsRoll { try writerCore.roll() }
        let core = SharedWriterCore(writerCore)
        let durableSeq = recovered.nextSeq
        let commit = GroupCommit(
            durableSeq: durableSeq,
            snapshot: { () throws(LogError) in
                try core.state.withLock { core throws(LogError) in
                    if let failure = core.sealFailure { throw failure }
                    return core.active.map { ($0.file, core.nextSeq) }
                }
            },
            onFailure: { error in core.state.withLock { if $0.stopped == nil { $0.stopped = error } } })
        if case .interval(let milliseconds) = options.durability { commit.startInterval(milliseconds: milliseconds) }
        return LogWriter(
            directory: directory, options: options, report: recovered.report, core: core, commit: commit,
            lockFile: lockFile)
    }

    /// Appends records and returns their sequence numbers, once they are acknowledged per the durability mode.
    ///
    /// All-or-nothing for validation: a record over the size limit rejects the call before anything is written.
    /// If a write or sync fails, the error is thrown, the writer stops, and none of these records count as
    /// acknowledged (reopening recovers the log to its last complete batch).
    @discardableResult
    public func append(_ records: [Record]) async throws(LogError) -> Range<UInt64> {
        let range = try appendWritten(records)
        if !range.isEmpty { try await waitUntilDurable(upTo: range.upperBound) }
        return range
    }

    /// Appends records and returns once they are written to the operating system, whatever the durability mode.
    ///
    /// For callers that batch their own acknowledgements: follow with ``sync()`` to make them durable.
    @discardableResult
    public func appendWritten(_ records: [Record]) throws(LogError) -> Range<UInt64> {
        try checkSizes(records)
        return try core.state.withLock { core throws(LogError) in try core.write(records).range }
    }

    /// ``appendWritten(_:)`` that also returns every batch written with its uncompressed payload, so the caller
    /// can index them without reading them back (``LogReader/absorb(_:)``).
    ///
    /// Takes the records out of `records` rather than copying them (it holds only empty placeholders afterwards,
    /// also when the call throws after validation): the caller is done with them, and a copy retains and
    /// releases every string of every record.
    package func appendWrittenHandingOff(_ records: inout [Record]) throws(LogError) -> (
        range: Range<UInt64>, written: [WrittenBatch]
    ) {
        try checkSizes(records)
        return try core.state.withLock { core throws(LogError) in try core.write(taking: &records, handOff: true) }
    }

    private func checkSizes(_ records: [Record]) throws(LogError) {
        for index in records.indices {  // by index: iterating would copy each record
            let size = RecordEncoder.encodedSizeUpperBound(records[index])
            if size > RecordLayout.maximumSize {
                let exact = RecordEncoder.encodedSize(records[index])
                if exact > RecordLayout.maximumSize {
                    throw .recordTooLarge(size: exact, limit: RecordLayout.maximumSize)
                }
            }
        }
    }

    /// Waits until records below `endSeq` are acknowledged per the durability mode: durable in ``Durability/sync``
    /// mode (group commit); immediately in the other modes, where ``appendWritten(_:)`` already acknowledged them.
    public func waitUntilDurable(upTo endSeq: UInt64) async throws(LogError) {
        if options.durability == .sync { try await commit.waitDurable(upTo: endSeq) }
    }

    /// Makes everything appended so far durable now (`fdatasync`), whatever the durability mode.
    public func sync() throws(LogError) {
        try core.state.withLock { core throws(LogError) in try core.checkUsable() }
        try commit.syncNow()
    }

    /// The sequence number the next appended record will get (= the number of records ever appended).
    public var endSeq: UInt64 { core.state.withLock { $0.nextSeq } }

    /// Records below this sequence number are known to be durable.
    public var durableSeq: UInt64 { commit.durableSeq }

    /// Why the writer stopped taking appends (a failed write or `fdatasync`), or nil while it takes them.
    ///
    /// Once set it stays set: the writer never retries (see ``append(_:)``). Reopening the log — restarting the
    /// process — recovers it to its last complete batch.
    public var stopReason: LogError? { core.state.withLock { $0.stopped } }

    /// How many `fdatasync` calls the group commit made and their total time, in nanoseconds.
    public var syncStatistics: (count: Int, nanoseconds: UInt64) { commit.latency.snapshot }

    /// The latency of every `fdatasync` so far, in buckets (the `tracelog_fsync_duration_seconds` histogram).
    public var syncLatency: SyncLatencyHistogram { commit.latency.histogram }

    /// Syncs, stops the interval flusher, closes the active segment and releases the directory lock;
    /// later appends throw ``LogError/closed``.
    public func close() throws(LogError) {
        commit.stopInterval()
        let alreadyClosed = core.state.withLock { core in
            defer { core.closed = true }
            return core.closed
        }
        if alreadyClosed { return }
        var failure: LogError?
        do { try commit.syncNow() } catch { failure = error }
        commit.failAll(with: .closed)
        core.state.withLock { $0.active = nil }
        lockFile.io.unlock(lockFile.descriptor)
        if let failure { throw failure }
    }

    /// Runs `body` with the writer state locked (for maintenance operations such as retention).
    func withCore<T>(_ body: (inout WriterCore) throws(LogError) -> T) throws(LogError) -> T {
        try core.state.withLock { core throws(LogError) in try body(&core) }
    }

    deinit {
        commit.stopInterval()
    }
}

/// The writer state behind its mutex, in a class so the group commit's closures can share it.
final class SharedWriterCore: Sendable {
    let state: Mutex<WriterCore>

    init(_ core: sending WriterCore) {
        state = Mutex(core)
    }
}
