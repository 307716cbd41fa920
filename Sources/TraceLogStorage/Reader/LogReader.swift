import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a log directory: by sequence number, by scanning, by index lookup, or by following new records.
///
/// Needs no lock and never writes segments, so any number of readers can run, in this process or others, while
/// the writer appends. A reader sees a consistent prefix: only batches whose checksums verify, in sequence
/// order, up to its last ``refresh()``. Opening scans only the last segment; sealed segments are loaded on first
/// use from their memory-mapped index files. Thread-safe.
public final class LogReader: Sendable {
    /// The log directory.
    public let directory: String
    let logDirectory: LogDirectory
    /// Whether this reader writes index files for sealed segments that lack a valid one (the writer's process).
    let persistsIndexes: Bool
    let segments: Mutex<[ReaderSegment]>
    private let refreshLock = Mutex(())
    /// Writes the index file of each segment this process seals, one at a time, off the thread that rolled.
    private let indexPersister = DispatchQueue(label: "tracelog.index-persist")
    /// The index files handed to ``indexPersister`` and not yet written.
    private let pendingIndexFiles = DispatchGroup()
    /// Recently decompressed batches.
    let batchCache = BatchCache()
    /// The log's filter stack, if it has a file (see ``FilterStack``); replaced when the writer rewrites it.
    let filterStack = Mutex<MappedFilterStack?>(nil)
    /// Why this process could not write the filter stack, for ``verify()``.
    let filterStackProblem = Mutex<String?>(nil)

    /// Opens the log in `directory` for reading.
    ///
    /// - Parameters:
    ///   - persistsIndexes: write missing index files of sealed segments (only the process that holds the
    ///     writer lock should; other readers rebuild missing indexes in memory).
    ///   - faults: a test's I/O fault plan.
    public init(directory: String, persistsIndexes: Bool = false, faults: FaultInjector? = nil) throws(LogError) {
        self.directory = directory
        self.persistsIndexes = persistsIndexes
        logDirectory = LogDirectory(path: directory, io: FileIO(faults: faults))
        segments = Mutex([])
        try refresh()
        // Every sealed segment's index file is mapped and its first page asked for now, without waiting: the
        // first lookup loads them all, and on a cold cache it otherwise began by waiting for those reads (one
        // parallel round of a page per segment, plus an open and two `madvise` calls each). Opening issues the
        // requests (tens of microseconds per segment); the reads overlap whatever comes next.
        let sealed = segments.withLock { $0.dropLast() }
        for segment in sealed { segment.prepareIndexFile(directory: logDirectory) }
    }

    /// Picks up records appended and segments created or removed since the last refresh.
    public func refresh() throws(LogError) {
        try refreshLock.withLock { _ throws(LogError) in
            var known = segments.withLock { $0 }
            let previousLast = known.last
            try openListedSegments(&known)
            known.sort { $0.baseSeq < $1.baseSeq }
            // A segment that was the last one may have grown before it was sealed: finish it (and save its index).
            if let previousLast, previousLast !== known.last, known.contains(where: { $0 === previousLast }),
                previousLast.isLoaded
            {
                try previousLast.scanForward(isLast: false)
                previousLast.markSealed()
                if persistsIndexes { persistInBackground(previousLast) }
            }
            try known.last?.loadLast(directory: logDirectory)
            segments.withLock { $0 = known }
        }
        // The filter stack, if the writer has written or replaced it since (one `open` and `fstat` when not).
        loadFilterStack()
    }

    /// Takes in batches that this process's writer has just written (see ``WrittenBatch``): indexes them from
    /// their uncompressed payloads, so the writer's process never reads back or decompresses what it appended.
    ///
    /// Falls back to ``refresh()`` when they do not continue the last segment this reader knows — the writer
    /// rolled to a new segment, or a refresh already scanned them — so the outcome is always what a refresh
    /// would give. Readers in other processes find the same batches by ``refresh()``.
    package func absorb(_ written: [WrittenBatch]) throws(LogError) {
        guard !written.isEmpty else { return }
        let last = segments.withLock { $0.last }
        if let last, last.absorb(written[...]) { return }
        try refresh()
    }

    /// Writes every index file a later open would otherwise rebuild: those of sealed segments that lack a valid
    /// one, and a checkpoint of the last segment's index, so that opening maps it and scans only what is
    /// appended afterwards (opening otherwise scans the whole last segment, about 0.3 µs per record).
    ///
    /// Only for the process that holds the writer lock (``persistsIndexes``), after the writer synced: a
    /// checkpoint must not describe bytes a crash could still take away. ``TraceStore``-level closes call it.
    public func persistIndexes() throws(LogError) {
        guard persistsIndexes else {
            throw .invalidArgument("persistIndexes() needs a reader opened with persistsIndexes: true")
        }
        try refresh()
        waitForIndexFiles()
        let all = try loadedSegments()
        try all.last?.persistIndex(directory: logDirectory)
        indexPersister.sync { writeFilterStack() }
    }

    /// Writes the index file of a segment just sealed on ``indexPersister``, then reads its postings from the
    /// file (memory stays flat as the log grows). Done inline it held up the thread that rolled — the writer's,
    /// in the writer's process — for 0.3 s per 64 MB segment under `tracelog ingest` and 1.15 s under HTTP load:
    /// every append and request waited (a p99 of about 1 s for `POST /v1/events`). Until the file is written,
    /// lookups use the postings in memory; a crash before then leaves no index file (or a stray `.tmp`), which
    /// the next open rebuilds and saves, as after any crash.
    private func persistInBackground(_ segment: ReaderSegment) {
        let directory = logDirectory
        pendingIndexFiles.enter()
        indexPersister.async { [pendingIndexFiles] in
            segment.persistIndexIfPossible(directory: directory)
            segment.readIndexFromFile(directory: directory)
            self.writeFilterStack(justSealed: segment)
            pendingIndexFiles.leave()
        }
    }

    /// Waits until the index file of every segment sealed so far is written (or its failure noted).
    package func waitForIndexFiles() {
        pendingIndexFiles.wait()
    }

    /// Brings `known` to the segments in the directory: drops those gone, opens those new.
    ///
    /// A segment that vanishes between the listing and its `open` (retention deleted it, or a writer removed an
    /// empty trailing segment) means the listing is stale — by then newer segments may exist and older ones be
    /// gone — so the directory is listed again, rather than showing a view with a hole, a shorter end or nothing.
    /// A segment with a damaged header is opened like any other and reports its damage (``damage()``); no segment
    /// is ever skipped, whatever its position.
    private func openListedSegments(_ known: inout [ReaderSegment]) throws(LogError) {
        var attempts = 0
        while true {
            let entries = try logDirectory.segments()
            known.removeAll { segment in !entries.contains { $0.baseSeq == segment.baseSeq } }
            var vanished: LogError?
            // Every new segment opened (its header asked for) before the first header is checked.
            var opened: [(SegmentEntry, OpenFile)] = []
            for entry in entries where !known.contains(where: { $0.baseSeq == entry.baseSeq }) {
                do throws(LogError) {
                    opened.append((entry, try ReaderSegment.openFile(entry, directory: logDirectory)))
                } catch .io(let error) where error.errno == ENOENT {
                    vanished = .io(error)
                    break
                }
            }
            for (entry, file) in opened { known.append(try ReaderSegment(entry: entry, file: file)) }
            guard let vanished else { return }
            attempts += 1
            if attempts == 100 { throw vanished }
        }
    }

    /// The first sequence number still in the log (greater than 0 after retention removed segments).
    public var startSeq: UInt64 { segments.withLock { $0.first?.baseSeq ?? 0 } }

    /// One past the last readable sequence number, as of the last ``refresh()``.
    public var endSeq: UInt64 { segments.withLock { $0.last }?.endSeq ?? 0 }

    /// Corrupt regions found so far in the segments loaded (see ``DamagedRegion``).
    public var damagedRegions: [DamagedRegion] { segments.withLock { $0 }.flatMap(\.damaged) }

    /// How many segments have their batch table and index loaded (opening loads only the last one).
    public var loadedSegmentCount: Int { segments.withLock { $0 }.filter(\.isLoaded).count }

    /// The names of the segment files, oldest first.
    public var segmentNames: [String] { segments.withLock { $0.map(\.name) } }

    /// Reads one record. Throws ``LogError/corruptBatch(segment:offset:reason:)`` if its batch is damaged and
    /// ``LogError/invalidArgument(_:)`` if `seq` is not in the log.
    public func record(at seq: UInt64) throws(LogError) -> StoredRecord {
        let (segment, location) = try locate(seq)
        let position = Int(seq - location.baseSeq)
        let payload = try cachedBatch(segment: segment, location: location, records: position + 1)
        do {
            return StoredRecord(seq: seq, record: try payload.record(at: position))
        } catch {
            throw .corruptBatch(segment: segment.name, offset: location.offset, reason: error.reason)
        }
    }

    /// A cursor over records from `start` (inclusive) to `end` (exclusive; default: the current end).
    public func cursor(from start: UInt64 = 0, to end: UInt64? = nil) -> RecordCursor {
        RecordCursor(reader: self, next: max(start, startSeq), end: end ?? endSeq)
    }

    /// All segments, each loaded (sealed ones from their index files or by a scan).
    func loadedSegments() throws(LogError) -> [ReaderSegment] {
        let all = segments.withLock { $0 }
        guard all.dropLast().contains(where: { !$0.isLoaded }) else { return all }
        let unloaded = all.dropLast().filter { !$0.isLoaded }
        // Every first page in flight before the first is waited for.
        if unloaded.count > 1 { for segment in unloaded { segment.prepareIndexFile(directory: logDirectory) } }
        for segment in unloaded {
            try segment.loadSealed(directory: logDirectory, persist: persistsIndexes)
        }
        return all
    }

    /// The segment and batch holding `seq`.
    func locate(_ seq: UInt64) throws(LogError) -> (ReaderSegment, BatchLocation) {
        let all = segments.withLock { $0 }
        guard let index = all.lastIndex(where: { $0.baseSeq <= seq }) else {
            throw .invalidArgument("seq \(seq) is before the start of the log (\(startSeq))")
        }
        let segment = all[index]
        if !segment.isLoaded { try segment.loadSealed(directory: logDirectory, persist: persistsIndexes) }
        guard seq < segment.endSeq || index < all.count - 1 else {
            throw .invalidArgument("seq \(seq) is past the end of the log (\(segment.endSeq))")
        }
        guard let location = try segment.batch(containing: seq) else {
            let damage = try segment.damage(before: seq)
            throw .corruptBatch(
                segment: segment.name, offset: damage?.offset ?? Int64(SegmentHeader.size),
                reason: "seq \(seq) is inside a damaged region: \(damage?.reason ?? "missing batch")")
        }
        return (segment, location)
    }

    func decodeRecords(_ payload: BatchPayload, segment: ReaderSegment, location: BatchLocation)
        throws(LogError) -> [StoredRecord]
    {
        do {
            return try payload.records()
        } catch {
            throw .corruptBatch(segment: segment.name, offset: location.offset, reason: error.reason)
        }
    }
}
