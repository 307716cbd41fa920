#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Brings a log directory to a state a writer can append to, and says what it did.
///
/// Only the last segment is scanned, so the cost does not depend on the size of the log. A torn tail
/// (crash mid-write, zero-filled or garbage bytes) is cut back to the last complete batch. Corrupt batches
/// followed by valid ones are kept and reported; the segment is then left sealed and writing continues in a
/// new segment, so valid data after the damage is never dropped.
enum WriterRecovery {
    struct Outcome {
        var active: ActiveSegment?
        var nextSeq: UInt64
        var needsRoll: Bool
        var report: RecoveryReport
    }

    static func recover(_ directory: LogDirectory) throws(LogError) -> Outcome {
        var report = RecoveryReport()
        report.removedTemporaryFiles = try directory.removeTemporaryFiles() + directory.removeOrphanIndexFiles()
        var segments = try directory.segments()
        let io = directory.io
        var nextSeqIfEmpty: UInt64 = 0
        while let last = segments.last {
            let path = directory.file(last.name)
            let file = try withIOErrors { () throws(SystemError) in try io.open(path, flags: O_RDWR) }
            let size = try withIOErrors { () throws(SystemError) in try file.size() }
            if size < SegmentHeader.size, segments.count > 1 || size == 0 {
                // A crash between creating and syncing a segment can leave it empty; nothing in it was acknowledged.
                try withIOErrors { () throws(SystemError) in
                    try io.unlink(path)
                    try io.syncDirectory(directory.path)
                }
                report.removedEmptySegments.append(last.name)
                nextSeqIfEmpty = max(nextSeqIfEmpty, last.baseSeq)
                segments.removeLast()
                continue
            }
            let header = try directory.readHeader(file, name: last.name)
            guard header.baseSeq == last.baseSeq else {
                throw .corruptSegment(segment: last.name, reason: "header says base seq \(header.baseSeq)")
            }
            // A checkpoint (written after a clean close, once the segment was synced) vouches for the prefix it
            // covers, so only the bytes after it need checking; without one, the whole segment is scanned.
            let checkpoint = MappedSegmentIndex.checkpoint(of: last, file: file, in: directory)
            let scan = try SegmentScanner.scan(
                file, name: last.name, from: checkpoint?.index.segmentLength ?? Int64(SegmentHeader.size),
                expectedSeq: checkpoint?.index.endSeq ?? header.baseSeq)
            if let tail = scan.tail {
                try withIOErrors { () throws(SystemError) in
                    try file.truncate(to: tail.offset)
                    try file.syncData()
                }
                report.truncatedTail = tail
            }
            report.damagedRegions = scan.damaged
            let active = ActiveSegment(
                file: file, name: last.name, baseSeq: header.baseSeq, createdAt: header.createdAt,
                size: scan.validEnd, batches: (checkpoint?.batches ?? []) + scan.batches)
            return Outcome(active: active, nextSeq: scan.endSeq, needsRoll: !scan.damaged.isEmpty, report: report)
        }
        return Outcome(active: nil, nextSeq: nextSeqIfEmpty, needsRoll: true, report: report)
    }
}
