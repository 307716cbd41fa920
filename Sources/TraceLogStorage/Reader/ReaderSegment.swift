import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A reader's view of one segment file: batch table and index, loaded on first use, shared by reference.
///
/// Sealed segments are loaded from their index file (or, if it is missing or corrupt, rebuilt by scanning the
/// segment once). The last segment is scanned incrementally from where the previous refresh stopped, and its
/// in-memory index is extended in place, so a refresh costs only the new bytes.
final class ReaderSegment: Sendable {
    struct State: Sendable {
        /// Valid batches in file order; nil until loaded.
        var batches: SegmentBatches?
        /// Corrupt regions followed by valid data (reported on read, never skipped silently).
        var damaged: [DamagedRegion] = []
        /// Where the next incremental scan starts.
        var scannedTo = Int64(SegmentHeader.size)
        /// One past the last valid sequence number found so far.
        var endSeq: UInt64
        var index: SegmentIndex?
        /// Whether the index came from scanning because its file was missing or invalid (and why).
        var rebuiltBecause: String?
        /// The segment's bytes as mapped by the last batch read, remapped when a read goes past its end.
        /// Advised for random access and used by point lookups.
        var mapping: MappedRegion?
        /// The same bytes mapped again with the kernel's default read-around, for sequential cursors.
        var sequentialMapping: MappedRegion?
        /// Set when mapping failed once: batches are then read with `pread`.
        var mappingFailed = false
        /// Whether the segment was loaded as the last one (a torn tail is then a write in progress, not damage).
        var loadedAsLast = false
        /// Where to write the index file again if a mapped one fails a check after loading (a sealed segment of a
        /// reader that persists indexes); nil otherwise.
        var persistDirectory: LogDirectory?
        /// The index file mapped by ``prepareIndexFile(directory:)`` with its first page asked for, until loading
        /// takes it.
        var preparedIndex: Result<MappedRegion, MappedSegmentIndex.Invalid>?
    }

    let name: String
    let baseSeq: UInt64
    let file: OpenFile
    let state: Mutex<State>
    /// The segment's header, when it is damaged (see ``SegmentHeaderCheck``). Its batches are still read, from
    /// the base sequence number in the file name, and every answer that reads them reports the damage.
    let headerDamage: DamagedRegion?

    convenience init(entry: SegmentEntry, directory: LogDirectory) throws(LogError) {
        try self.init(entry: entry, file: try Self.openFile(entry, directory: directory))
    }

    /// Opens a segment's file (see ``openFile(_:directory:)``) and checks its header.
    init(entry: SegmentEntry, file: OpenFile) throws(LogError) {
        name = entry.name
        baseSeq = entry.baseSeq
        self.file = file
        headerDamage = try SegmentHeaderCheck.damage(of: file, entry: entry)
        state = Mutex(State(endSeq: entry.baseSeq))
    }

    /// Opens a segment's file and asks for its header's page without waiting, so that a reader opening many
    /// segments waits for their header reads together (one after the other, ten cold reads took 1.3 ms).
    static func openFile(_ entry: SegmentEntry, directory: LogDirectory) throws(LogError) -> OpenFile {
        let path = directory.file(entry.name)
        let file = try withIOErrors { () throws(SystemError) in try directory.io.open(path, flags: O_RDONLY) }
        file.prefetch(offset: 0, length: Int64(SegmentHeader.size))
        return file
    }

    /// Set once the segment is loaded, cleared while a rebuild has it unloaded: ``isLoaded`` without the lock,
    /// since every lookup asks it of every segment.
    private let loadedMemo = Atomic<Bool>(false)

    var isLoaded: Bool {
        if loadedMemo.load(ordering: .acquiring) { return true }
        return state.withLock { state in
            let loaded = state.batches != nil
            if loaded { loadedMemo.store(true, ordering: .releasing) }
            return loaded
        }
    }
    var endSeq: UInt64 { state.withLock { $0.endSeq } }
    /// Every valid batch, in file order.
    func allBatches() throws(LogError) -> [BatchLocation] {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in try state.batches?.all() ?? [] }
    }
    var damaged: [DamagedRegion] { state.withLock { $0.damaged } }

    /// Scans bytes appended since the last scan and indexes the new batches. A tail that is not (yet) a valid
    /// batch is left for later in the last segment (a write in progress); in a sealed segment it is damage.
    func scanForward(isLast: Bool) throws(LogError) {
        try state.withLock { state throws(LogError) in try scanForward(&state, isLast: isLast) }
    }

    private func scanForward(_ state: inout State, isLast: Bool) throws(LogError) {
        var index = MemoryIndex()
        var prefix: MappedSegmentIndex?
        var hadTail = false
        switch state.index {
        case .memory(let existing): index = existing
        case .mapped(let mapped): prefix = mapped
        case .layered(let mapped, let tail): (prefix, index, hadTail) = (mapped, tail, true)
        case nil: break
        }
        state.index = nil  // hand the index over without a copy-on-write copy
        var problem: String?
        let scan: SegmentScan
        do throws(LogError) {
            scan = try SegmentScanner.scan(file, name: name, from: state.scannedTo, expectedSeq: state.endSeq) {
                header, stored in
                switch BatchPayload.decode(header: header, stored: stored) {
                case .success(let payload): index.add(payload)
                case .failure(let failure): problem = problem ?? failure.description
                }
            }
        } catch {
            // The scan failed reading the file, before it visited any batch: give the index back unchanged.
            state.index = prefix.map { hadTail ? .layered($0, index) : .mapped($0) } ?? .memory(index)
            throw error
        }
        if let prefix {
            let nothingAfterPrefix = state.batches?.scanned.isEmpty != false && scan.batches.isEmpty
            state.index = nothingAfterPrefix ? .mapped(prefix) : .layered(prefix, index)
        } else {
            state.index = .memory(index)
        }
        if let problem { throw .corruptBatch(segment: name, offset: state.scannedTo, reason: problem) }
        state.batches = SegmentBatches(
            mapped: state.batches?.mapped, scanned: (state.batches?.scanned ?? []) + scan.batches)
        state.damaged += scan.damaged
        if !isLast, let tail = scan.tail { state.damaged.append(tail) }
        state.scannedTo = scan.validEnd
        state.endSeq = scan.endSeq
    }

    /// Drops a mapped index that failed a check after it was loaded (a postings block or the trace-start table
    /// with a bad checksum) and rebuilds the index by scanning the segment; the answer is then as if the file
    /// had been missing. The reason is kept for `verify`, and the file is written again when this reader
    /// persists the indexes of sealed segments.
    private func rebuild(after failure: MappedSegmentIndex.Invalid) throws(LogError) {
        let persistTo: LogDirectory? = try state.withLock { state throws(LogError) in
            switch state.index {
            case .mapped, .layered: break
            case .memory, nil: return nil  // another thread rebuilt it already
            }
            let isLast = state.loadedAsLast
            loadedMemo.store(false, ordering: .releasing)
            state.batches = nil
            state.damaged = []
            state.scannedTo = Int64(SegmentHeader.size)
            state.endSeq = baseSeq
            state.index = nil
            state.rebuiltBecause = "index file invalid: \(failure.reason)"
            try scanForward(&state, isLast: isLast)
            return isLast ? nil : state.persistDirectory
        }
        if let persistTo { persistIndexIfPossible(directory: persistTo) }
    }

    /// Runs `body` on the segment's state; if a mapped index fails a check there, rebuilds the index from the
    /// segment and runs `body` again on that.
    private func withCheckedIndex<T: Sendable>(_ body: (State) throws(MappedSegmentIndex.Invalid) -> T)
        throws(LogError) -> T
    {
        let outcome: Result<T, MappedSegmentIndex.Invalid> = state.withLock { state in
            do throws(MappedSegmentIndex.Invalid) {
                return .success(try body(state))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let failure):
            // The rebuilt index is in memory, which cannot fail a check: this recursion ends.
            try rebuild(after: failure)
            return try withCheckedIndex(body)
        }
    }

    /// Loads a sealed segment: its index file if valid (plus a scan of any bytes after what it covers), else a
    /// scan of the whole segment (and, if `persist`, a new index file).
    func loadSealed(directory: LogDirectory, persist: Bool) throws(LogError) {
        state.withLock {
            $0.loadedAsLast = false
            $0.persistDirectory = persist ? directory : nil
        }
        if isLoaded { return }
        if let failure = loadIndexFile(directory: directory, isLast: false) {
            try scanForward(isLast: false)
            let length = try fileLength()
            state.withLock { state in
                state.rebuiltBecause = failure.reason
                if let covered = failure.coveredLength {
                    recordTruncation(&state, covered: covered, fileLength: length)
                }
            }
            // The rebuilt index file keeps the damaged regions, truncation included: the record of the damage
            // outlives the index file that revealed it.
            if persist {
                persistIndexIfPossible(directory: directory)
                readIndexFromFile(directory: directory)
            }
        } else if try coveredLength() < fileLength() {
            // A checkpoint of this segment from when it was active: index the rest, then save the whole index.
            try scanForward(isLast: false)
            if persist {
                persistIndexIfPossible(directory: directory)
                readIndexFromFile(directory: directory)
            }
        }
    }

    /// Writes the index file if it can. The index is derived data and already in memory, so a failure (a full
    /// disk, say) never fails a read or a refresh: it is noted for ``LogReader/verify()``, the stray `.tmp` goes
    /// at the next writer open, and the file is written by the next process that loads the segment.
    func persistIndexIfPossible(directory: LogDirectory) {
        do {
            try persistIndex(directory: directory)
        } catch {
            state.withLock { state in
                state.rebuiltBecause = (state.rebuiltBecause.map { $0 + "; " } ?? "") + "index file not saved: \(error)"
            }
        }
    }

    /// Loads the last segment: its checkpoint index file if one matches, then a scan of the bytes after it.
    func loadLast(directory: LogDirectory) throws(LogError) {
        state.withLock {
            $0.loadedAsLast = true
            $0.persistDirectory = nil
        }
        if !isLoaded { _ = loadIndexFile(directory: directory, isLast: true) }
        try scanForward(isLast: true)
    }

    /// Maps the index file of a segment that is not loaded yet and asks for its first page without waiting, so
    /// that a reader loading many segments has all their first reads in flight at once (a cold first query on a
    /// log of ten segments otherwise waits for ten reads one after the other). Loading then uses this mapping;
    /// a failure here is forgotten, and loading tries the file again.
    func prepareIndexFile(directory: LogDirectory) {
        guard !isLoaded, state.withLock({ $0.preparedIndex == nil }) else { return }
        let prepared = Result { () throws(MappedSegmentIndex.Invalid) in
            let region = try MappedSegmentIndex.map(try openIndexFile(directory: directory))
            MappedSegmentIndex.prefetchLoad(region)
            return region
        }
        state.withLock { $0.preparedIndex = prepared }
    }

    func openIndexFile(directory: LogDirectory) throws(MappedSegmentIndex.Invalid) -> OpenFile {
        let indexPath = directory.file(SegmentIndexFile.name(baseSeq: baseSeq))
        guard let indexFile = try? directory.io.open(indexPath, flags: O_RDONLY) else {
            throw .init(reason: "index file missing")
        }
        return indexFile
    }

    /// Asks for a batch's bytes in the point-lookup mapping without waiting (once per page per mapping), so that
    /// a lookup that reads several batches has them all in flight before it decodes the first.
    func prefetchBatch(_ location: BatchLocation) {
        let end = Int(location.offset) + Int(location.length)
        mapping(covering: end, sequential: false)?.prefetch(Int(location.offset)..<end)
    }

    /// Maps the segment's index file and adopts it; returns why not if it is missing, invalid or stale.
    private func loadIndexFile(directory: LogDirectory, isLast: Bool) -> MappedSegmentIndex.Invalid? {
        // An unreadable segment size leaves the index unused; the scan then reports the error.
        let length = (try? fileLength()) ?? 0
        let mapped: MappedSegmentIndex
        do throws(MappedSegmentIndex.Invalid) {
            let prepared = state.withLock { state in
                defer { state.preparedIndex = nil }
                return state.preparedIndex
            }
            // A file that could not be mapped when it was prepared (at the reader's open, maybe long ago) is tried
            // again: the writer may have written it since.
            let region: MappedRegion
            if case .success(let preparedRegion)? = prepared {
                region = preparedRegion
            } else {
                region = try MappedSegmentIndex.map(try openIndexFile(directory: directory))
            }
            mapped = try MappedSegmentIndex(region: region, expectedBaseSeq: baseSeq, segmentSize: length)
        } catch  where error.reason == "index file missing" {
            return error
        } catch {
            return .init(reason: "index file invalid: \(error.reason)", coveredLength: error.coveredLength)
        }
        if isLast || mapped.segmentLength < length, !mapped.lastBatchMatches(file) {
            return .init(reason: "index file does not match the segment")
        }
        state.withLock { state in
            guard state.batches == nil else { return }
            state.batches = SegmentBatches(mapped: mapped)
            state.damaged = mapped.damaged.map { region in
                let reason =
                    region.offset + region.length > length
                    ? "bytes missing: the segment ends at offset \(length), its index recorded data up to offset"
                        + " \(region.offset + region.length) (truncated)"
                    : "damaged batch data (found when the segment's index file was built)"
                return DamagedRegion(segment: name, offset: region.offset, length: region.length, reason: reason)
            }
            state.scannedTo = mapped.segmentLength
            state.endSeq = mapped.endSeq
            state.index = .mapped(mapped)
        }
        return nil
    }

    private func coveredLength() -> Int64 { state.withLock { $0.scannedTo } }

    func fileLength() throws(LogError) -> Int64 {
        try withIOErrors { () throws(SystemError) in try file.size() }
    }

    /// Writes this segment's index, as far as it is scanned, to its index file — unless that file already
    /// covers as much (an index file loaded as is).
    ///
    /// For the last segment this is a checkpoint: the caller must hold the writer lock and have synced the
    /// segment, so the file never describes bytes that a crash could still take away.
    ///
    /// What the file holds is taken under the segment's lock and encoded after it is released: encoding a 64 MB
    /// segment's index takes up to a second, and every lookup on the segment waited for the lock meanwhile.
    func persistIndex(directory: LogDirectory) throws(LogError) {
        let snapshot = try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) -> IndexSnapshot? in
            guard let index = state.index, let batches = state.batches else { return nil }
            if case .mapped = index { return nil }
            return IndexSnapshot(
                index: index, batches: try batches.all(), endSeq: state.endSeq, length: state.scannedTo,
                damaged: state.damaged)
        }
        guard let snapshot else { return }
        let bytes: [UInt8]?
        do throws(MappedSegmentIndex.Invalid) {
            bytes = try SegmentIndexFile.encode(
                baseSeq: baseSeq, endSeq: snapshot.endSeq, segmentLength: snapshot.length, batches: snapshot.batches,
                index: snapshot.index, damaged: snapshot.damaged)
        } catch {
            // A mapped part of a layered index failed its check: rebuild, as a check under the lock does, and
            // encode the rebuilt index (in memory, so this ends).
            try rebuild(after: error)
            return try persistIndex(directory: directory)
        }
        if let bytes { try SegmentIndexFile.write(bytes, baseSeq: baseSeq, in: directory) }
    }

    /// What an index file is encoded from, taken under the segment's lock.
    private struct IndexSnapshot: Sendable {
        var index: SegmentIndex
        var batches: [BatchLocation]
        var endSeq: UInt64
        var length: Int64
        var damaged: [DamagedRegion]
    }

    /// Checks all of a mapped index file that loading leaves to lookups (every block of the batch table, the
    /// postings, the trace-start table and the key filter, and that the filter passes every key of the postings);
    /// if anything fails, the index is rebuilt from the segment and the
    /// reason kept.
    func checkIndexFile() throws(LogError) {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in
            _ = try state.batches?.all()
            for kind in IndexKind.allCases { _ = try state.index?.storedPostings(kind) }
            _ = try state.index?.traceStarts()
            switch state.index {
            case .mapped(let mapped), .layered(let mapped, _): try mapped.checkFilter()
            case .memory, nil: break
            }
        }
    }

    /// The trace starts of a tag hash, from the postings and the trace-start table, without reading a batch:
    /// candidates whose full 64-bit tag hash matches. `askFilter` as for ``seqs(_:hash:askFilter:)``.
    func traceStarts(tagHash: UInt64, askFilter: Bool = true) throws(LogError) -> [TraceStartEntry] {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in
            guard let index = state.index else { return [] }
            var entries: [TraceStartEntry] = []
            let seqs = try index.seqs(.tag, hash: tagHash, askFilter: askFilter)
            index.prefetchTraceStarts(seqs)
            for seq in seqs {
                if let entry = try index.traceStart(seq: seq), entry.tagHash == tagHash { entries.append(entry) }
            }
            return entries
        }
    }

    /// Candidate sequence numbers for a key hash. With `askFilter` false the segment's own key filter is not
    /// read: the log's filter stack said the segment may hold the key.
    func seqs(_ kind: IndexKind, hash: UInt64, askFilter: Bool = true) throws(LogError) -> [UInt64] {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in
            try state.index?.seqs(kind, hash: hash, askFilter: askFilter) ?? []
        }
    }

    /// The key filter's keys of this segment's index (see ``SegmentIndex/filterKeys()``).
    func filterKeys() throws(LogError) -> [UInt64] {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in try state.index?.filterKeys() ?? [] }
    }

    /// Traces that start in this segment, in sequence order.
    func traceStarts() throws(LogError) -> [TraceStartEntry] {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in try state.index?.traceStarts() ?? [] }
    }

    /// The first `limit` of this segment's trace starts whose time lies in `times`, in start-time order, and how
    /// many lie there (see ``TraceStartPage``); the table is read in place, not copied.
    func traceStartPage(limit: Int, newestFirst: Bool, times: ClosedRange<Int64>) throws(LogError) -> TraceStartPage {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in
            // Built here, so that a check failing halfway (the index is then rebuilt and this runs again) counts
            // nothing twice.
            var page = TraceStartPage(limit: limit, newestFirst: newestFirst)
            try state.index?.forEachTraceStart { entry in if times.contains(entry.time) { page.offer(entry) } }
            return page
        }
    }

    /// The batch holding `seq`, if any.
    func batch(containing seq: UInt64) throws(LogError) -> BatchLocation? {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in try state.batches?.containing(seq) }
    }

    /// The first batch that starts after `seq`, if any.
    func firstBatch(after seq: UInt64) throws(LogError) -> BatchLocation? {
        try withCheckedIndex { state throws(MappedSegmentIndex.Invalid) in try state.batches?.first(after: seq) }
    }

    /// The damaged region that must hold `seq` when no valid batch does, for the error message.
    func damage(before seq: UInt64) throws(LogError) -> DamagedRegion? {
        let next = try firstBatch(after: seq)
        return state.withLock { state in
            guard state.batches != nil else { return state.damaged.first }
            let limit = next?.offset ?? Int64.max
            return state.damaged.last { $0.offset < limit }
        }
    }

    /// Reads and checks one batch: from the segment's memory mapping, or with `pread` if it cannot be mapped.
    ///
    /// Mapping saves a system call and a copy per point lookup (a fifth of `trace get` was `pread`). Batches
    /// are only ever read at locations a scan or index file has accepted, which lie inside the file, so the
    /// mapping is never touched past the end of the file.
    ///
    /// The segment is mapped twice. Point lookups use a mapping advised for random access and first ask for
    /// exactly the batch's bytes in one request (see ``MappedRegion/prefetch(_:)``), so a cold lookup reads the
    /// batch and not the 8 MiB the kernel would read around its first page fault. A `sequential` reader uses a
    /// mapping with the kernel's default read-around, which streams: on the random-access one a warm replay
    /// ran about 12% slower, and asking for each batch before faulting on a default mapping made cold point
    /// lookups 8 times slower (10.1 against 1.3 ms at 10M records) — both measured.
    ///
    /// With `records`, at least the batch's first `records` records are decoded, and possibly no more (see
    /// ``BatchPayload/decodePrefix(header:stored:records:)``): what point lookups ask for.
    func readBatch(_ location: BatchLocation, sequential: Bool = false, records: Int = .max) throws(LogError)
        -> BatchPayload
    {
        let end = Int(location.offset) + Int(location.length)
        if let region = mapping(covering: end, sequential: sequential) {
            if !sequential { region.prefetch(Int(location.offset)..<end) }
            return try region.withBytes { raw throws(LogError) in
                try decodeBatch(
                    UnsafeRawBufferPointer(rebasing: raw[Int(location.offset)..<end]), at: location, records: records)
            }
        }
        let bytes = try withIOErrors { () throws(SystemError) in
            try file.read(count: Int(location.length), at: location.offset)
        }
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(LogError) in try decodeBatch(raw, at: location, records: records) }
        }.get()
    }

    /// The current mapping of that kind if it reaches `end`, else a new one of the whole file; nil if mapping
    /// fails.
    private func mapping(covering end: Int, sequential: Bool) -> MappedRegion? {
        state.withLock { state in
            let current = sequential ? state.sequentialMapping : state.mapping
            if let current, current.count >= end { return current }
            // A file shorter than the batch (cut behind the reader's back) is left to `pread` to report.
            guard !state.mappingFailed, let size = try? file.size(), Int(size) >= end else { return nil }
            guard let mapping = try? MappedRegion(file: file, length: Int(size), randomAccess: !sequential) else {
                state.mappingFailed = true
                return nil
            }
            if sequential { state.sequentialMapping = mapping } else { state.mapping = mapping }
            return mapping
        }
    }

    private func decodeBatch(_ raw: UnsafeRawBufferPointer, at location: BatchLocation, records: Int)
        throws(LogError) -> BatchPayload
    {
        let outcome: Result<BatchPayload, LogError> = {
            guard case .success(let header) = BatchHeader.decode(raw), header.totalLength == raw.count else {
                return .failure(.corruptBatch(segment: name, offset: location.offset, reason: "batch header changed"))
            }
            // The location may come from an index file: records are looked up by its numbers, so they must agree.
            guard header.baseSeq == location.baseSeq, header.recordCount == location.recordCount else {
                let reason = "batch does not hold the sequence range its index entry says"
                return .failure(.corruptBatch(segment: name, offset: location.offset, reason: reason))
            }
            let stored = UnsafeRawBufferPointer(rebasing: raw[BatchHeader.size...])
            let decoded =
                records >= Int(header.recordCount)
                ? BatchPayload.decode(header: header, stored: stored)
                : BatchPayload.decodePrefix(header: header, stored: stored, records: records)
            return decoded.mapError { problem in
                .corruptBatch(segment: name, offset: location.offset, reason: problem.description)
            }
        }()
        return try outcome.get()
    }
}
