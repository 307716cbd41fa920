/// What a retention pass removed.
public struct RetentionResult: Hashable, Sendable {
    /// Segment files deleted, oldest first.
    public var deletedSegments: [String] = []
    /// Records they held.
    public var deletedRecords: UInt64 = 0
    /// The first sequence number left in the log.
    public var startSeq: UInt64 = 0
    /// Trace-start records copied to the end of the log before their segment was deleted, because their trace
    /// has records in the segments that stay.
    public var carriedTraceStarts: Int = 0
}

extension LogWriter {
    /// Deletes whole sealed segments whose newest record is older than `cutoff` (SPEC §8). The active segment is
    /// never deleted, and segments go oldest first, so the log always stays one contiguous range.
    ///
    /// A trace that starts in a deleted segment but has records in one that stays keeps its start: the
    /// trace-start record (tag, origin, original time) is appended again, and made durable, before anything is
    /// deleted. So every trace left in the log still has its start, `trace list` still finds it, and
    /// `replay | ingest` still reproduces it (replay prints a carried start before the trace's first record).
    /// Finding those traces costs one index probe per surviving segment for each trace that starts in a deleted
    /// segment, and opening a reader (a scan of the active segment).
    ///
    /// Each segment's index file is removed first, then the segment, then the directory is synced: a crash in
    /// between leaves at worst an index file without its segment, which the next open removes. A crash after the
    /// starts were carried but before the segments went leaves both copies; the next pass does not carry a start
    /// again, and replay prints it once. Readers that have a deleted segment open keep reading it until they
    /// refresh (POSIX unlink semantics).
    public func deleteSegments(olderThan cutoff: Timestamp) throws(LogError) -> RetentionResult {
        try withCore { core throws(LogError) -> RetentionResult in
            try core.checkUsable()
            let directory = core.directory
            let entries = try directory.segments()
            var result = RetentionResult(startSeq: entries.first?.baseSeq ?? core.nextSeq)
            var doomed: [SegmentEntry] = []
            for (index, entry) in entries.enumerated() where entry.baseSeq != core.active?.baseSeq {
                guard let newest = try newestTime(of: entry, in: directory), newest < cutoff.microseconds else { break }
                doomed.append(entry)
                result.startSeq = index + 1 < entries.count ? entries[index + 1].baseSeq : core.nextSeq
            }
            guard let first = doomed.first else { return result }
            let carried = try traceStartsToCarry(keepingFrom: result.startSeq)
            if !carried.isEmpty {
                _ = try core.write(carried)
                try core.syncActiveSegment()
                result.carriedTraceStarts = carried.count
            }
            for entry in doomed {
                try withIOErrors { () throws(SystemError) in
                    try directory.io.unlink(directory.file(SegmentIndexFile.name(baseSeq: entry.baseSeq)))
                    try directory.io.unlink(directory.file(entry.name))
                }
                result.deletedSegments.append(entry.name)
            }
            result.deletedRecords = result.startSeq - first.baseSeq
            try withIOErrors { () throws(SystemError) in try directory.io.syncDirectory(directory.path) }
            return result
        }
    }

    /// The trace-start records in segments before `cut` whose trace has records at `cut` or later and no start
    /// there, oldest first.
    private func traceStartsToCarry(keepingFrom cut: UInt64) throws(LogError) -> [Record] {
        let reader = try LogReader(directory: directory, faults: options.faults)
        let segments = try reader.loadedSegments()
        let surviving = segments.filter { $0.baseSeq >= cut }
        var carried: [Record] = []
        for segment in segments where segment.baseSeq < cut {
            for start in try segment.traceStarts() {
                let traceID = start.traceID
                let hash = KeyHash.hash(traceID)
                var seqs: [UInt64] = []
                for kept in surviving { seqs += try kept.seqs(.traceID, hash: hash) }
                guard !seqs.isEmpty else { continue }
                let startsKept = try reader.lookup(seqs: seqs, limit: 1) {
                    $0.traceID == traceID && $0.kind == .traceStart
                }
                guard startsKept.isEmpty else { continue }  // carried by a pass that crashed before deleting
                guard try !reader.lookup(seqs: seqs, limit: 1, matching: { $0.traceID == traceID }).isEmpty else {
                    continue  // only a hash collision
                }
                carried.append(try reader.record(at: start.seq).record)
            }
        }
        return carried
    }

    /// The newest record time of a sealed segment: from its index file, else by scanning its batch headers.
    private func newestTime(of entry: SegmentEntry, in directory: LogDirectory) throws(LogError) -> Int64? {
        let segment = try ReaderSegment(entry: entry, directory: directory)
        try segment.loadSealed(directory: directory, persist: false)
        return try segment.allBatches().map(\.maxTime).max()
    }
}

extension WriterCore {
    /// Makes what was written to the active segment durable now. A failure stops the writer for good and the file
    /// is never synced again (a retry could report success for pages the kernel dropped).
    mutating func syncActiveSegment() throws(LogError) {
        guard let active else { return }
        do {
            try active.file.syncData()
        } catch {
            let failure = LogError.writerStopped(cause: "fdatasync failed in retention on \(active.name): \(error)")
            stopped = failure
            sealFailure = failure
            throw .io(error)
        }
    }
}
