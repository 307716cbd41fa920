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
/// new segment, so valid data after the damage is never dropped. A last segment whose header is damaged is
/// kept exactly as it is (a file that fails its own checks is not trusted enough to cut), sealed, and writing
/// continues in a new segment after its last valid batch.
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
        guard let last = try directory.segments().last else {
            return Outcome(active: nil, nextSeq: 0, needsRoll: true, report: report)
        }
        let io = directory.io
        let file = try withIOErrors { () throws(SystemError) in try io.open(directory.file(last.name), flags: O_RDWR) }
        let header: SegmentHeader
        switch try SegmentHeaderCheck.check(file, entry: last) {
        case .sound(let sound): header = sound
        case .damaged(let damage):
            return try sealDamaged(last, file: file, damage: damage, report: report)
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

    /// The last segment's header is damaged: its batches are scanned (from the base seq in its name) to learn
    /// where the log ends, nothing is cut, and the writer rolls to a new segment after the last valid batch.
    /// Without any valid batch the new segment would take the damaged file's name, so opening fails instead,
    /// naming the file.
    private static func sealDamaged(
        _ last: SegmentEntry, file: OpenFile, damage: DamagedRegion, report: RecoveryReport
    ) throws(LogError) -> Outcome {
        var report = report
        let scan = try SegmentScanner.scan(
            file, name: last.name, from: Int64(SegmentHeader.size), expectedSeq: last.baseSeq)
        guard !scan.batches.isEmpty else {
            throw .corruptSegment(
                segment: last.name,
                reason: "\(damage.reason), and it holds no valid batch, so a new segment would take its name;"
                    + " move the file out of the log directory to write again")
        }
        // What the next records follow must be durable first, as when a segment is sealed by a roll.
        try withIOErrors { () throws(SystemError) in try file.syncData() }
        report.damagedHeader = damage
        report.damagedRegions = scan.damaged + (scan.tail.map { [$0] } ?? [])
        return Outcome(active: nil, nextSeq: scan.endSeq, needsRoll: true, report: report)
    }
}
