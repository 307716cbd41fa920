/// What a retention pass removed.
public struct RetentionResult: Hashable, Sendable {
    /// Segment files deleted, oldest first.
    public var deletedSegments: [String] = []
    /// Records they held.
    public var deletedRecords: UInt64 = 0
    /// The first sequence number left in the log.
    public var startSeq: UInt64 = 0
}

extension LogWriter {
    /// Deletes whole sealed segments whose newest record is older than `cutoff` (SPEC §8). The active segment is
    /// never deleted, and segments go oldest first, so the log always stays one contiguous range.
    ///
    /// Each segment's index file is removed first, then the segment, then the directory is synced: a crash in
    /// between leaves at worst an index file without its segment, which the next open removes. Readers that have
    /// a deleted segment open keep reading it until they refresh (POSIX unlink semantics).
    public func deleteSegments(olderThan cutoff: Timestamp) throws(LogError) -> RetentionResult {
        try withCore { core throws(LogError) -> RetentionResult in
            try core.checkUsable()
            let directory = core.directory
            let entries = try directory.segments()
            var result = RetentionResult(startSeq: entries.first?.baseSeq ?? core.nextSeq)
            for (index, entry) in entries.enumerated() where entry.baseSeq != core.active?.baseSeq {
                let next = index + 1 < entries.count ? entries[index + 1].baseSeq : core.nextSeq
                guard let newest = try newestTime(of: entry, in: directory), newest < cutoff.microseconds else { break }
                try withIOErrors { () throws(SystemError) in
                    try directory.io.unlink(directory.file(SegmentIndexFile.name(baseSeq: entry.baseSeq)))
                    try directory.io.unlink(directory.file(entry.name))
                }
                result.deletedSegments.append(entry.name)
                result.deletedRecords += next - entry.baseSeq
                result.startSeq = next
            }
            if !result.deletedSegments.isEmpty {
                try withIOErrors { () throws(SystemError) in try directory.io.syncDirectory(directory.path) }
            }
            return result
        }
    }

    /// The newest record time of a sealed segment: from its index file, else by scanning its batch headers.
    private func newestTime(of entry: SegmentEntry, in directory: LogDirectory) throws(LogError) -> Int64? {
        let segment = try ReaderSegment(entry: entry, directory: directory)
        try segment.loadSealed(directory: directory, persist: false)
        return try segment.allBatches().map(\.maxTime).max()
    }
}
