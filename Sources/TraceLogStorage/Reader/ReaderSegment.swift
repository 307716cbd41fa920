import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The index of one segment: in memory (active segment, or rebuilt) or a mapped index file (sealed).
enum SegmentIndex: Sendable {
    case memory(MemoryIndex)
    case mapped(MappedSegmentIndex)

    func seqs(_ kind: IndexKind, hash: UInt64) -> [UInt64] {
        switch self {
        case .memory(let index): index.seqs(kind, hash: hash)
        case .mapped(let index): index.seqs(kind, hash: hash)
        }
    }

    func sortedPairs(_ kind: IndexKind) -> [(UInt64, UInt64)] {
        switch self {
        case .memory(let index): index.sortedPairs(kind)
        case .mapped(let index): index.sortedPairs(kind)
        }
    }

    var traceStarts: [TraceStartEntry] {
        switch self {
        case .memory(let index): index.traceStarts
        case .mapped(let index): (0..<index.traceStartCount).map(index.traceStart(at:))
        }
    }
}

/// A reader's view of one segment file: batch table and index, loaded on first use, shared by reference.
///
/// Sealed segments are loaded from their index file (or, if it is missing or corrupt, rebuilt by scanning the
/// segment once). The last segment is scanned incrementally from where the previous refresh stopped, and its
/// in-memory index is extended in place, so a refresh costs only the new bytes.
final class ReaderSegment: Sendable {
    struct State: Sendable {
        /// Valid batches in file order; nil until loaded.
        var batches: [BatchLocation]?
        /// Corrupt regions followed by valid data (reported on read, never skipped silently).
        var damaged: [DamagedRegion] = []
        /// Where the next incremental scan starts.
        var scannedTo = Int64(SegmentHeader.size)
        /// One past the last valid sequence number found so far.
        var endSeq: UInt64
        var index: SegmentIndex?
        /// Whether the index came from scanning because its file was missing or invalid (and why).
        var rebuiltBecause: String?
    }

    let name: String
    let baseSeq: UInt64
    let file: OpenFile
    let state: Mutex<State>

    init(entry: SegmentEntry, directory: LogDirectory) throws(LogError) {
        name = entry.name
        baseSeq = entry.baseSeq
        let path = directory.file(entry.name)
        file = try withIOErrors { () throws(SystemError) in try directory.io.open(path, flags: O_RDONLY) }
        let header = try directory.readHeader(file, name: entry.name)
        guard header.baseSeq == entry.baseSeq else {
            throw .corruptSegment(segment: entry.name, reason: "header says base seq \(header.baseSeq)")
        }
        state = Mutex(State(endSeq: entry.baseSeq))
    }

    var isLoaded: Bool { state.withLock { $0.batches != nil } }
    var endSeq: UInt64 { state.withLock { $0.endSeq } }
    var batches: [BatchLocation] { state.withLock { $0.batches ?? [] } }
    var damaged: [DamagedRegion] { state.withLock { $0.damaged } }

    /// Scans bytes appended since the last scan and indexes the new batches. A tail that is not (yet) a valid
    /// batch is left for later in the last segment (a write in progress); in a sealed segment it is damage.
    func scanForward(isLast: Bool) throws(LogError) {
        try state.withLock { state throws(LogError) in
            var index: MemoryIndex
            var replaced: SegmentIndex?  // a mapped index, given back if the scan fails
            switch state.index {
            case .memory(let existing): index = existing
            case let other: (index, replaced) = (MemoryIndex(), other)
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
                state.index = replaced ?? .memory(index)
                throw error
            }
            state.index = .memory(index)
            if let problem { throw .corruptBatch(segment: name, offset: state.scannedTo, reason: problem) }
            state.batches = (state.batches ?? []) + scan.batches
            state.damaged += scan.damaged
            if !isLast, let tail = scan.tail { state.damaged.append(tail) }
            state.scannedTo = scan.validEnd
            state.endSeq = scan.endSeq
        }
    }

    /// Loads a sealed segment: its index file if valid, else a scan (and, if `persist`, a new index file).
    func loadSealed(directory: LogDirectory, persist: Bool) throws(LogError) {
        if isLoaded { return }
        let indexPath = directory.file(SegmentIndexFile.name(baseSeq: baseSeq))
        var reason = "index file missing"
        if let indexFile = try? directory.io.open(indexPath, flags: O_RDONLY) {
            do {
                let segmentSize = (try? file.size()) ?? 0  // unreadable: the index is not used, the scan reports it
                let mapped = try MappedSegmentIndex(file: indexFile, expectedBaseSeq: baseSeq, segmentSize: segmentSize)
                state.withLock { state in
                    guard state.batches == nil else { return }
                    state.batches = mapped.batches
                    state.damaged = mapped.damaged.map {
                        DamagedRegion(
                            segment: name, offset: $0.offset, length: $0.length, reason: "damaged when sealed")
                    }
                    state.scannedTo = mapped.segmentLength
                    state.endSeq = mapped.endSeq
                    state.index = .mapped(mapped)
                }
                return
            } catch {
                reason = "index file invalid: \(error.reason)"
            }
        }
        try scanForward(isLast: false)
        state.withLock { $0.rebuiltBecause = reason }
        if persist { persistIndexIfPossible(directory: directory) }
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

    /// Writes this (sealed, fully scanned) segment's in-memory index to its index file.
    func persistIndex(directory: LogDirectory) throws(LogError) {
        let bytes: [UInt8]? = state.withLock { state in
            guard case .memory(let index) = state.index, let batches = state.batches else { return nil }
            return SegmentIndexFile.encode(
                baseSeq: baseSeq, endSeq: state.endSeq, segmentLength: state.scannedTo, batches: batches,
                index: index, damaged: state.damaged)
        }
        if let bytes { try SegmentIndexFile.write(bytes, baseSeq: baseSeq, in: directory) }
    }

    /// Candidate sequence numbers for a key hash.
    func seqs(_ kind: IndexKind, hash: UInt64) -> [UInt64] {
        state.withLock { $0.index?.seqs(kind, hash: hash) ?? [] }
    }

    /// Traces that start in this segment, in sequence order.
    var traceStarts: [TraceStartEntry] { state.withLock { $0.index?.traceStarts ?? [] } }

    /// The batch holding `seq`, if any.
    func batch(containing seq: UInt64) -> BatchLocation? {
        state.withLock { state in
            guard let batches = state.batches else { return nil }
            var low = 0
            var high = batches.count
            while low < high {
                let middle = (low + high) / 2
                if batches[middle].endSeq <= seq { low = middle + 1 } else { high = middle }
            }
            guard low < batches.count, batches[low].baseSeq <= seq else { return nil }
            return batches[low]
        }
    }

    /// The damaged region that must hold `seq` when no valid batch does, for the error message.
    func damage(before seq: UInt64) -> DamagedRegion? {
        state.withLock { state in
            guard let batches = state.batches else { return state.damaged.first }
            let next = batches.firstIndex { $0.baseSeq > seq }
            let limit = next.map { batches[$0].offset } ?? Int64.max
            return state.damaged.last { $0.offset < limit }
        }
    }

    /// Reads and checks one batch.
    func readBatch(_ location: BatchLocation) throws(LogError) -> BatchPayload {
        let bytes = try withIOErrors { () throws(SystemError) in
            try file.read(count: Int(location.length), at: location.offset)
        }
        let outcome: Result<BatchPayload, LogError> = bytes.withUnsafeBytes { raw in
            guard case .success(let header) = BatchHeader.decode(raw), header.totalLength == raw.count else {
                return .failure(.corruptBatch(segment: name, offset: location.offset, reason: "batch header changed"))
            }
            // The location may come from an index file: records are looked up by its numbers, so they must agree.
            guard header.baseSeq == location.baseSeq, header.recordCount == location.recordCount else {
                let reason = "batch does not hold the sequence range its index entry says"
                return .failure(.corruptBatch(segment: name, offset: location.offset, reason: reason))
            }
            let stored = UnsafeRawBufferPointer(rebasing: raw[BatchHeader.size...])
            return BatchPayload.decode(header: header, stored: stored).mapError { problem in
                .corruptBatch(segment: name, offset: location.offset, reason: problem.description)
            }
        }
        return try outcome.get()
    }
}
