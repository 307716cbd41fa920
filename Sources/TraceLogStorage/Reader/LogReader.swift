import Synchronization

/// Reads a log directory: by sequence number, by scanning, or by following new records.
///
/// Needs no lock and never writes, so any number of readers can run, in this process or others, while the
/// writer appends. A reader sees a consistent prefix: only batches whose checksums verify, in sequence order,
/// up to the point of its last ``refresh()``. Opening scans only the last segment. Thread-safe.
public final class LogReader: Sendable {
    /// The log directory.
    public let directory: String
    let logDirectory: LogDirectory
    let state: Mutex<[ReaderSegment]>

    /// Opens the log in `directory` for reading. `faults` is for tests only.
    public init(directory: String, faults: FaultInjector? = nil) throws(LogError) {
        self.directory = directory
        logDirectory = LogDirectory(path: directory, io: FileIO(faults: faults))
        state = Mutex([])
        try refresh()
    }

    /// Picks up records appended and segments created or removed since the last refresh.
    public func refresh() throws(LogError) {
        let entries = try logDirectory.segments()
        var known = state.withLock { $0 }
        let previousLast = known.last?.baseSeq
        known.removeAll { segment in !entries.contains { $0.baseSeq == segment.baseSeq } }
        for entry in entries where !known.contains(where: { $0.baseSeq == entry.baseSeq }) {
            do {
                known.append(try ReaderSegment(entry: entry, directory: logDirectory))
            } catch {
                // A segment still being created by the writer appears once renamed; an empty one is skipped.
                if entry.baseSeq == entries.last?.baseSeq { continue }
                throw error
            }
        }
        known.sort { $0.baseSeq < $1.baseSeq }
        for index in known.indices {
            let isLast = index == known.count - 1
            // The last segment grows; a segment that was last at the previous refresh may have grown before it
            // was sealed. Other sealed segments are loaded lazily on first use.
            if isLast || (known[index].batches != nil && known[index].baseSeq == previousLast) {
                try known[index].scanForward(isLast: isLast)
            }
        }
        let updated = known
        state.withLock { $0 = updated }
    }

    /// The first sequence number still in the log (greater than 0 after retention removed segments).
    public var startSeq: UInt64 { state.withLock { $0.first?.baseSeq ?? 0 } }

    /// One past the last readable sequence number, as of the last ``refresh()``.
    public var endSeq: UInt64 {
        state.withLock { $0.last.map { $0.endSeq } ?? 0 }
    }

    /// Corrupt regions found so far in the segments read (see ``DamagedRegion``).
    public var damagedRegions: [DamagedRegion] { state.withLock { $0.flatMap(\.damaged) } }

    /// The names of the segment files, oldest first.
    public var segmentNames: [String] { state.withLock { $0.map(\.name) } }

    /// Reads one record. Throws ``LogError/corruptBatch(segment:offset:reason:)`` if its batch is damaged and
    /// ``LogError/invalidArgument(_:)`` if `seq` is not in the log.
    public func record(at seq: UInt64) throws(LogError) -> StoredRecord {
        let (segment, location) = try locate(seq)
        let payload = try segment.readBatch(location)
        let records = try decodeRecords(payload, segment: segment, location: location)
        return records[Int(seq - location.baseSeq)]
    }

    /// A cursor over records from `start` (inclusive) to `end` (exclusive; default: the current end).
    public func cursor(from start: UInt64 = 0, to end: UInt64? = nil) -> RecordCursor {
        RecordCursor(reader: self, next: max(start, startSeq), end: end ?? endSeq)
    }

    /// The segment and batch holding `seq`.
    func locate(_ seq: UInt64) throws(LogError) -> (ReaderSegment, BatchLocation) {
        let segments = state.withLock { $0 }
        guard let index = segments.lastIndex(where: { $0.baseSeq <= seq }) else {
            throw .invalidArgument("seq \(seq) is before the start of the log (\(startSeq))")
        }
        let segment = try loaded(at: index, in: segments)
        guard seq < segment.endSeq || index < segments.count - 1 else {
            throw .invalidArgument("seq \(seq) is past the end of the log (\(segment.endSeq))")
        }
        guard let batchIndex = segment.batchIndex(containing: seq), let location = segment.batches?[batchIndex] else {
            let damage = segment.damage(before: seq)
            throw .corruptBatch(
                segment: segment.name, offset: damage?.offset ?? Int64(SegmentHeader.size),
                reason: "seq \(seq) is inside a damaged region: \(damage?.reason ?? "missing batch")")
        }
        return (segment, location)
    }

    /// The segment at `index`, with its batch table loaded (scanning it once if needed).
    func loaded(at index: Int, in segments: [ReaderSegment]) throws(LogError) -> ReaderSegment {
        var segment = segments[index]
        if segment.batches != nil { return segment }
        try segment.scanForward(isLast: index == segments.count - 1)
        let result = segment
        state.withLock { state in
            if let slot = state.firstIndex(where: { $0.baseSeq == result.baseSeq }), state[slot].batches == nil {
                state[slot] = result
            }
        }
        return result
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
