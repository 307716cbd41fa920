import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A segment's index file, memory-mapped and checked (see ``SegmentIndexFile`` for the layout).
///
/// Loading verifies the header, the section table and the small sections (batch table, damaged list, postings
/// block tables); lookups then binary-search the mapped postings without copying them, verifying the one block
/// they read, and the trace-start table is verified on its first use. A failed check surfaces as ``Invalid``
/// from the lookup, and the caller rebuilds the index from the segment.
final class MappedSegmentIndex: Sendable {
    let region: MappedRegion
    let baseSeq: UInt64
    let endSeq: UInt64
    let segmentLength: Int64
    let batches: [BatchLocation]
    let damaged: [(offset: Int64, length: Int64)]
    /// Where each postings section's parts are, by index kind raw value.
    let postings: [PostingsSection]
    private let traceStartRange: Range<Int>
    /// The trace-start section's checksum, verified on first use.
    private let traceStartChecksum: UInt32
    private let traceStartsVerified = Atomic<Bool>(false)
    /// Per postings section (by kind raw value), one bit per block that has passed its checksum: each block is
    /// checked once per mapping, so repeated lookups touch only the lines their binary searches read.
    let verifiedBlocks: Mutex<[[UInt64]]>

    /// Why an index file was not usable (it is then rebuilt from the segment).
    struct Invalid: Error, Hashable, Sendable {
        var reason: String
    }

    /// Maps and checks `file`, the index of the segment with base seq `expectedBaseSeq` and `segmentSize` bytes.
    init(file: OpenFile, expectedBaseSeq: UInt64, segmentSize: Int64) throws(Invalid) {
        do {
            region = try MappedRegion(file: file)
        } catch {
            throw Invalid(reason: "cannot map: \(error)")
        }
        let parsed = try region.withBytes { raw throws(Invalid) in
            try Self.parse(raw, expectedBaseSeq: expectedBaseSeq, segmentSize: segmentSize)
        }
        baseSeq = expectedBaseSeq
        endSeq = parsed.endSeq
        segmentLength = parsed.segmentLength
        batches = parsed.batches
        damaged = parsed.damaged
        postings = parsed.postings
        verifiedBlocks = Mutex(parsed.postings.map { Array(repeating: 0, count: ($0.blocks + 63) / 64) })
        traceStartRange = parsed.traceStartRange
        traceStartChecksum = parsed.traceStartChecksum
    }

    private struct Parsed {
        var endSeq: UInt64
        var segmentLength: Int64
        var batches: [BatchLocation] = []
        var damaged: [(offset: Int64, length: Int64)] = []
        var postings = Array(repeating: PostingsSection(), count: IndexKind.allCases.count + 1)
        var traceStartRange: Range<Int> = 0..<0
        var traceStartChecksum: UInt32 = 0
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, expectedBaseSeq: UInt64, segmentSize: Int64)
        throws(Invalid) -> Parsed
    {
        let header = SegmentIndexFile.headerSize
        guard raw.count >= header, raw.loadLittleEndian(at: 0, as: UInt32.self) == SegmentIndexFile.magic else {
            throw Invalid(reason: "no index magic")
        }
        guard
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<60]))
                == raw.loadLittleEndian(at: 60, as: UInt32.self)
        else { throw Invalid(reason: "index header checksum mismatch") }
        guard raw.loadLittleEndian(at: 4, as: UInt16.self) == SegmentIndexFile.version else {
            throw Invalid(reason: "unsupported index version")
        }
        guard raw.loadLittleEndian(at: 8, as: UInt64.self) == expectedBaseSeq else {
            throw Invalid(reason: "index is for another segment")
        }
        var parsed = Parsed(
            endSeq: raw.loadLittleEndian(at: 16, as: UInt64.self),
            segmentLength: raw.loadLittleEndian(at: 24, as: Int64.self))
        // Batch reads allocate what the batch table says: it must stay inside the segment as it is on disk.
        guard parsed.segmentLength >= SegmentHeader.size, parsed.segmentLength <= segmentSize else {
            throw Invalid(reason: "index covers \(parsed.segmentLength) bytes of a \(segmentSize)-byte segment")
        }
        let sectionCount = Int(raw.loadLittleEndian(at: 32, as: UInt32.self))
        guard sectionCount < 64, header + sectionCount * SegmentIndexFile.sectionEntrySize <= raw.count else {
            throw Invalid(reason: "implausible section table")
        }
        for section in 0..<sectionCount {
            let entry = header + section * SegmentIndexFile.sectionEntrySize
            let kind = raw.loadLittleEndian(at: entry, as: UInt32.self)
            let count = Int(raw.loadLittleEndian(at: entry + 4, as: UInt32.self))
            // The section table is not covered by the header checksum: check its values before converting them.
            let rawOffset = raw.loadLittleEndian(at: entry + 8, as: UInt64.self)
            let rawLength = raw.loadLittleEndian(at: entry + 16, as: UInt64.self)
            guard rawOffset <= UInt64(raw.count), rawLength <= UInt64(raw.count) - rawOffset else {
                throw Invalid(reason: "section \(kind) out of bounds")
            }
            let offset = Int(rawOffset)
            let length = Int(rawLength)
            let checksum = raw.loadLittleEndian(at: entry + 24, as: UInt32.self)
            if kind == SegmentIndexFile.traceStartsSection {
                // Verified on first use: `trace get` and filtered lists never read it.
                guard count * 40 == length else { throw Invalid(reason: "section \(kind) has a wrong length") }
                parsed.traceStartRange = offset..<offset + length
                parsed.traceStartChecksum = checksum
                continue
            }
            if (1...UInt32(IndexKind.allCases.count)).contains(kind) {
                parsed.postings[Int(kind)] = try postingsSection(
                    raw, kind: kind, keys: count, range: offset..<offset + length, checksum: checksum)
                continue
            }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length])
            guard CRC32C.checksum(bytes) == checksum else {
                throw Invalid(reason: "section \(kind) checksum mismatch")
            }
            let entrySize: Int
            switch kind {
            case SegmentIndexFile.batchesSection: entrySize = 48
            case SegmentIndexFile.damagedSection: entrySize = 16
            default: continue  // a section a later version added
            }
            guard count * entrySize == length else { throw Invalid(reason: "section \(kind) has a wrong length") }
            if kind == SegmentIndexFile.batchesSection {
                parsed.batches = try batchTable(raw, offset: offset, count: count, segmentLength: parsed.segmentLength)
            } else {
                parsed.damaged = (0..<count).map { index in
                    (
                        raw.loadLittleEndian(at: offset + index * 16, as: Int64.self),
                        raw.loadLittleEndian(at: offset + index * 16 + 8, as: Int64.self)
                    )
                }
            }
        }
        guard parsed.batches.first.map({ $0.baseSeq == expectedBaseSeq }) ?? true,
            parsed.batches.last.map({ $0.endSeq == parsed.endSeq }) ?? true
        else { throw Invalid(reason: "batch table does not match the segment's sequence range") }
        return parsed
    }

    /// The batch table section, each entry checked so that using it cannot trap or allocate more than the segment
    /// holds: its bytes lie inside the segment's first `segmentLength` bytes, after the segment header, and its
    /// sequence range does not pass 2^64.
    private static func batchTable(_ raw: UnsafeRawBufferPointer, offset: Int, count: Int, segmentLength: Int64)
        throws(Invalid) -> [BatchLocation]
    {
        var batches: [BatchLocation] = []
        batches.reserveCapacity(count)
        for index in 0..<count {
            let base = offset + index * 48
            let baseSeq = raw.loadLittleEndian(at: base, as: UInt64.self)
            let recordCount = raw.loadLittleEndian(at: base + 20, as: UInt32.self)
            let fileOffset = raw.loadLittleEndian(at: base + 8, as: Int64.self)
            let length = raw.loadLittleEndian(at: base + 16, as: UInt32.self)
            guard let length = Int32(exactly: length), Int(length) >= BatchHeader.size,
                fileOffset >= SegmentHeader.size, Int64(length) <= segmentLength - fileOffset,
                baseSeq <= UInt64.max - UInt64(recordCount)
            else {
                throw Invalid(reason: "batch table entry \(index) is not a possible batch")
            }
            batches.append(
                BatchLocation(
                    baseSeq: baseSeq, recordCount: recordCount,
                    offset: fileOffset, length: length,
                    minTime: raw.loadLittleEndian(at: base + 24, as: Int64.self),
                    maxTime: raw.loadLittleEndian(at: base + 32, as: Int64.self),
                    uncompressedLength: raw.loadLittleEndian(at: base + 40, as: UInt32.self),
                    checksum: raw.loadLittleEndian(at: base + 44, as: UInt32.self)))
        }
        return batches
    }

    /// Whether the batch header at the last batch entry in `segment` is the one this index was built from
    /// (same offset, sequence range, lengths, times and payload CRC32C): the check that lets an index covering
    /// only a prefix of a segment — a checkpoint — be trusted.
    func lastBatchMatches(_ segment: OpenFile) -> Bool {
        guard let last = batches.last else { return segmentLength == Int64(SegmentHeader.size) }
        guard let bytes = try? segment.read(count: BatchHeader.size, at: last.offset),
            case .success(let header) = bytes.withUnsafeBytes({ BatchHeader.decode($0) })
        else { return false }
        return BatchLocation(header: header, offset: last.offset) == last
    }

    /// The checkpoint of the last segment, if its index file is valid, undamaged, and matches `segment`.
    static func checkpoint(of segment: SegmentEntry, file: OpenFile, in directory: LogDirectory) -> MappedSegmentIndex?
    {
        let path = directory.file(SegmentIndexFile.name(baseSeq: segment.baseSeq))
        guard let size = try? file.size(), let indexFile = try? directory.io.open(path, flags: O_RDONLY),
            let index = try? MappedSegmentIndex(file: indexFile, expectedBaseSeq: segment.baseSeq, segmentSize: size),
            index.damaged.isEmpty, index.lastBatchMatches(file)
        else { return nil }
        return index
    }

    /// Every trace start of this segment, in sequence order; verifies the table's checksum on first use.
    func traceStarts() throws(Invalid) -> [TraceStartEntry] {
        try checkedTraceStarts { raw in (0..<traceStartRange.count / 40).map { traceStart(raw, at: $0) } }
    }

    /// The trace start recorded at `seq`, if one is: a binary search of the table (sorted by seq).
    func traceStart(seq: UInt64) throws(Invalid) -> TraceStartEntry? {
        try checkedTraceStarts { raw in
            var low = 0
            var high = traceStartRange.count / 40
            while low < high {
                let middle = (low + high) / 2
                if raw.loadLittleEndian(at: traceStartRange.lowerBound + middle * 40 + 8, as: UInt64.self) < seq {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            guard low < traceStartRange.count / 40 else { return nil }
            let entry = traceStart(raw, at: low)
            return entry.seq == seq ? entry : nil
        }
    }

    /// Runs `body` on the mapped file once the trace-start table has passed its checksum (checked once).
    private func checkedTraceStarts<T>(_ body: (UnsafeRawBufferPointer) -> T) throws(Invalid) -> T {
        try region.withBytes { raw throws(Invalid) in
            if !traceStartsVerified.load(ordering: .acquiring) {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[traceStartRange])
                guard CRC32C.checksum(bytes) == traceStartChecksum else {
                    throw Invalid(reason: "trace-start section checksum mismatch")
                }
                traceStartsVerified.store(true, ordering: .releasing)
            }
            return body(raw)
        }
    }

    private func traceStart(_ raw: UnsafeRawBufferPointer, at index: Int) -> TraceStartEntry {
        let base = traceStartRange.lowerBound + index * 40
        return TraceStartEntry(
            time: raw.loadLittleEndian(at: base, as: Int64.self),
            seq: raw.loadLittleEndian(at: base + 8, as: UInt64.self),
            traceID: TraceID(
                high: raw.loadLittleEndian(at: base + 16, as: UInt64.self),
                low: raw.loadLittleEndian(at: base + 24, as: UInt64.self)),
            tagHash: raw.loadLittleEndian(at: base + 32, as: UInt64.self))
    }
}

extension BatchLocation {
    init(
        baseSeq: UInt64, recordCount: UInt32, offset: Int64, length: Int32, minTime: Int64, maxTime: Int64,
        uncompressedLength: UInt32, checksum: UInt32
    ) {
        self.baseSeq = baseSeq
        self.recordCount = recordCount
        self.offset = offset
        self.length = length
        self.minTime = minTime
        self.maxTime = maxTime
        self.uncompressedLength = uncompressedLength
        self.checksum = checksum
    }
}
