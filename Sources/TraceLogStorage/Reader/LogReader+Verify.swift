/// What `tracelog verify` found.
public struct VerificationReport: Sendable, CustomStringConvertible {
    /// Segments checked.
    public var segments = 0
    /// Batches whose checksums and records were checked.
    public var batches = 0
    /// Records decoded.
    public var records: UInt64 = 0
    /// Problems: corrupt batches, index entries that differ from a full scan, sequence gaps.
    public var problems: [String] = []
    /// Index files that were missing or invalid (rebuilt in memory for the check): the segment, the index file and
    /// the reason, which names the part and block that failed and its offset in the index file.
    public var rebuiltIndexes: [String] = []

    /// Whether the log and its indexes are fully consistent.
    public var isClean: Bool { problems.isEmpty }

    public var description: String {
        var lines = ["\(segments) segments, \(batches) batches, \(records) records checked"]
        lines += rebuiltIndexes.map { "index rebuilt: \($0)" }
        lines += problems.map { "PROBLEM: \($0)" }
        lines.append(isClean ? "OK" : "\(problems.count) problem(s)")
        return lines.joined(separator: "\n")
    }
}

/// Sizes and counts of a log, for `tracelog stats`.
public struct LogStatistics: Sendable {
    /// Records in the log.
    public var records: UInt64 = 0
    /// Traces (trace-start records).
    public var traces = 0
    /// Segment files.
    public var segments = 0
    /// Batches.
    public var batches = 0
    /// Bytes of segment files.
    public var segmentBytes: Int64 = 0
    /// Bytes of index files, the filter stack included.
    public var indexBytes: Int64 = 0
    /// Uncompressed record bytes (what the batches hold before LZ4).
    public var uncompressedBytes: Int64 = 0
    /// Stored (compressed) batch payload bytes.
    public var storedPayloadBytes: Int64 = 0
    /// Damage known in the log (see ``LogReader/damage()``): the counts above leave out what it hides.
    public var damage: [DamagedRegion] = []
    /// The time of the oldest record (the smallest batch minimum), nil for an empty log.
    public var oldestRecordTime: Timestamp?
    /// The time of the newest record (the largest batch maximum), nil for an empty log.
    public var newestRecordTime: Timestamp?

    /// Uncompressed / stored payload.
    public var compressionRatio: Double {
        storedPayloadBytes == 0 ? 1 : Double(uncompressedBytes) / Double(storedPayloadBytes)
    }

    /// Bytes on disk (segments and indexes) per record.
    public var bytesPerRecord: Double {
        records == 0 ? 0 : Double(segmentBytes + indexBytes) / Double(records)
    }
}

extension LogReader {
    /// Checks every segment header, every batch (checksums, decompression, record framing), sequence continuity
    /// between segments, and every index against an index rebuilt from a full scan. Reads the whole log.
    ///
    /// Checks the prefix of the log this reader opened (or last refreshed), whatever a writer appends meanwhile:
    /// the last segment is read only up to where the reader's view of it ends, so a live log checks clean. Every
    /// damaged segment is reported, each with its file name; the check goes on past each one.
    public func verify() throws(LogError) -> VerificationReport {
        waitForIndexFiles()  // a seal still being written would be reported half done
        var report = VerificationReport()
        let all = try loadedSegments()
        var expectedSeq = all.first?.baseSeq
        for (position, segment) in all.enumerated() {
            report.segments += 1
            if let expected = expectedSeq, segment.baseSeq != expected {
                var problem = "\(segment.name): starts at seq \(segment.baseSeq), expected \(expected)"
                if segment.baseSeq > expected, position > 0 {
                    problem += ": records \(expected) to \(segment.baseSeq - 1) are missing after the end of"
                    problem += " \(all[position - 1].name) (truncated or lost)"
                }
                report.problems.append(problem)
            }
            if let header = segment.headerDamage { report.problems.append("\(header)") }
            try segment.checkIndexFile()
            if let reason = segment.state.withLock({ $0.rebuiltBecause }) {
                report.rebuiltIndexes.append(
                    "\(segment.name) (index file \(SegmentIndexFile.name(baseSeq: segment.baseSeq))): \(reason)")
            }
            let isLast = position == all.count - 1
            let (opened, known) = segment.state.withLock { ($0.scannedTo, $0.damaged) }
            let fresh = try segment.rescan(upTo: isLast ? opened : nil, isLast: isLast)
            report.batches += fresh.batches.count
            report.records += fresh.batches.reduce(0) { $0 + UInt64($1.recordCount) }
            report.problems += fresh.damaged.map { "corrupt batch: \($0)" }
            // Bytes cut off the end, known from an index file: a scan of what is left cannot see them.
            report.problems += known.filter { $0.offset + $0.length > fresh.scannedLength }.map { "\($0)" }
            report.problems += fresh.problems.map { "\(segment.name): \($0)" }
            report.problems += segment.compareIndex(with: fresh).map { "\(segment.name): \($0)" }
            expectedSeq = fresh.endSeq
        }
        verifyFilterStack(all, into: &report)
        return report
    }

    /// Checks the filter stack, if the log has one: every group's checksum, and that each segment it covers
    /// passes every key of that segment's postings. A stack that fails a check is not used (lookups ask the
    /// segments' own filters), so that is noted like a rebuilt index; a key it misses would change answers, and
    /// is a problem.
    private func verifyFilterStack(_ all: [ReaderSegment], into report: inout VerificationReport) {
        if let problem = filterStackProblem.withLock({ $0 }) {
            report.rebuiltIndexes.append("\(FilterStack.fileName): \(problem)")
        }
        guard let stack = filterStack.withLock({ $0 }) else { return }
        do throws(MappedSegmentIndex.Invalid) {
            try stack.checkAll()
        } catch {
            report.rebuiltIndexes.append(
                "\(FilterStack.fileName): \(error.reason) (not used: the segments' own filters answer)")
            return
        }
        guard let entries = stack.layout()?.entries else { return }
        for segment in all {
            let endSeq = segment.endSeq
            guard let entry = entries.first(where: { $0.baseSeq == segment.baseSeq && $0.endSeq == endSeq }),
                let keys = try? segment.filterKeys()
            else { continue }
            if let missed = keys.first(where: { stack.passes(filterKey: $0, entry: entry) != true }) {
                report.problems.append(
                    "\(FilterStack.fileName): the filter of \(segment.name) misses a key of its postings (kind"
                        + " \(missed >> 32), stored hash \(missed & 0xFFFF_FFFF))")
            }
        }
    }

    /// Counts and sizes, and the damage known in the log; loads every segment's index (not the records).
    public func statistics() throws(LogError) -> LogStatistics {
        var statistics = LogStatistics()
        statistics.damage = try damage()
        for segment in try loadedSegments() {
            statistics.segments += 1
            let batches = try segment.allBatches()
            statistics.batches += batches.count
            statistics.records += batches.reduce(0) { $0 + UInt64($1.recordCount) }
            statistics.uncompressedBytes += batches.reduce(0) { $0 + Int64($1.uncompressedLength) }
            statistics.storedPayloadBytes += batches.reduce(0) { $0 + Int64($1.length) - Int64(BatchHeader.size) }
            statistics.traces += try segment.traceStarts().count
            if let oldest = batches.map(\.minTime).min() {
                statistics.oldestRecordTime = Timestamp(
                    microseconds: min(oldest, statistics.oldestRecordTime?.microseconds ?? .max))
            }
            if let newest = batches.map(\.maxTime).max() {
                statistics.newestRecordTime = Timestamp(
                    microseconds: max(newest, statistics.newestRecordTime?.microseconds ?? .min))
            }
            statistics.segmentBytes += (try? segment.file.size()) ?? 0
            let indexPath = logDirectory.file(SegmentIndexFile.name(baseSeq: segment.baseSeq))
            if let file = try? logDirectory.io.open(indexPath, flags: 0) {
                statistics.indexBytes += (try? file.size()) ?? 0
            }
        }
        if let file = try? logDirectory.io.open(logDirectory.file(FilterStack.fileName), flags: 0) {
            statistics.indexBytes += (try? file.size()) ?? 0
        }
        return statistics
    }
}

/// A segment re-read from scratch for verification.
struct FreshScan {
    var batches: [BatchLocation]
    var damaged: [DamagedRegion]
    var index: MemoryIndex
    var endSeq: UInt64
    var problems: [String]
    /// How many bytes of the file were read (its length, or the limit).
    var scannedLength: Int64
}

extension ReaderSegment {
    /// Scans and decodes the segment again, up to `limit` (default: its end), independently of what is loaded.
    func rescan(upTo limit: Int64? = nil, isLast: Bool) throws(LogError) -> FreshScan {
        var index = MemoryIndex()
        var problems: [String] = []
        let length = try withIOErrors { () throws(SystemError) in try file.size() }
        let scannedLength = limit.map { min($0, length) } ?? length
        let scan = try SegmentScanner.scan(
            file, name: name, from: Int64(SegmentHeader.size), to: scannedLength, expectedSeq: baseSeq
        ) { header, stored in
            switch BatchPayload.decode(header: header, stored: stored) {
            case .success(let payload):
                index.add(payload)
                do throws(RecordDecodingError) {
                    _ = try payload.records()
                } catch {
                    problems.append("batch at seq \(header.baseSeq): \(error.reason)")
                }
            case .failure(let problem): problems.append("batch at seq \(header.baseSeq): \(problem)")
            }
        }
        var damaged = scan.damaged
        if !isLast, let tail = scan.tail { damaged.append(tail) }
        return FreshScan(
            batches: scan.batches, damaged: damaged, index: index, endSeq: scan.endSeq, problems: problems,
            scannedLength: scannedLength)
    }

    /// Differences between the loaded index and a fresh one.
    func compareIndex(with fresh: FreshScan) -> [String] {
        state.withLock { state in
            var problems: [String] = []
            guard let loaded = state.index else { return ["no index loaded"] }
            do throws(MappedSegmentIndex.Invalid) {
                if try (state.batches?.all() ?? []).filter({ $0.endSeq <= fresh.endSeq }) != fresh.batches {
                    problems.append("batch table differs from the segment")
                }
                for kind in IndexKind.allCases {
                    let expected = fresh.index.storedPostings(kind)
                    let actual = try loaded.storedPostings(kind).filter { $0.1 < fresh.endSeq }
                    if !expected.elementsEqual(actual, by: { $0 == $1 }) {
                        problems.append(
                            "\(kind) index differs from the segment (\(actual.count) entries, expected \(expected.count))"
                        )
                    }
                }
                if try loaded.traceStarts().filter({ $0.seq < fresh.endSeq }) != fresh.index.traceStarts {
                    problems.append("trace-start table differs from the segment")
                }
            } catch {
                problems.append("index file \(SegmentIndexFile.name(baseSeq: baseSeq)): \(error.reason)")
            }
            return problems
        }
    }
}
