import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A segment's index file, memory-mapped and checked (see ``SegmentIndexFile`` for the layout).
///
/// Loading verifies the header, the section table, the damaged list and the key filter's header and block table,
/// all in the file's first page or so; everything else is verified where it is read: the batch table's block
/// table and last block on the first batch lookup, a postings section's block table on the first lookup of that
/// kind, then each block a lookup reads (key filter, postings, batch table, trace starts), once per mapping. So
/// a cold query reads one page and one filter page of each segment that cannot hold its key, and a few pages
/// of the one that does. A failed check surfaces as ``Invalid`` from the lookup, and the caller rebuilds the
/// index from the segment.
final class MappedSegmentIndex: Sendable {
    let region: MappedRegion
    let baseSeq: UInt64
    let endSeq: UInt64
    let segmentLength: Int64
    /// The batch table (48-byte entries keyed by base seq).
    let batchTable: BlockedTable
    let damaged: [(offset: Int64, length: Int64)]
    /// Where each postings section's parts are, by index kind raw value.
    let postings: [PostingsSection]
    /// The trace-start table (40-byte entries keyed by seq).
    let traceStartTable: BlockedTable
    /// The key filter (see ``KeyFilterSection``).
    let filter: KeyFilterSection.Mapped
    /// Which blocks and tables have passed their checks in this mapping (the bytes behind a mapping never
    /// change, see ``MappedRegion``), so repeated lookups touch only the lines their binary searches read.
    let verified: Mutex<Verification>
    /// Which blocks of each slot (postings kinds by raw value, the batch table in slot 0, then the trace-start
    /// table and the key filter) passed their checks: read by every lookup, so without a lock.
    let verifiedBlocks: [AtomicBits]

    /// Why an index file was not usable (it is then rebuilt from the segment).
    struct Invalid: Error, Hashable, Sendable {
        var reason: String
        /// Set when an otherwise sound header says the index was built from more bytes than the segment has now:
        /// how many it covered. The segment lost its end (see ``ReaderSegment``'s truncation check).
        var coveredLength: Int64?
    }

    /// Verification state: one bit per block per section slot (``batchSlot``, postings by kind raw value,
    /// ``traceStartSlot``), and one bit per postings kind whose block table has been checked.
    struct Verification: Sendable {
        var postingsTables: UInt32 = 0
        var traceStartTable = false
        /// The batch table's last entry once its block table and last block passed (see ``verifyBatchTable(_:)``);
        /// `.some(nil)` for an empty table.
        var lastBatch: BatchLocation??
    }

    static let batchSlot = 0
    static let traceStartSlot = IndexKind.allCases.count + 1
    static let filterSlot = IndexKind.allCases.count + 2

    /// Maps and checks `file`, the index of the segment with base seq `expectedBaseSeq` and `segmentSize` bytes.
    convenience init(file: OpenFile, expectedBaseSeq: UInt64, segmentSize: Int64) throws(Invalid) {
        try self.init(region: try Self.map(file), expectedBaseSeq: expectedBaseSeq, segmentSize: segmentSize)
    }

    /// Maps an index file for lookups, which read a few blocks: no read-around (a full read prefetches its
    /// section first).
    static func map(_ file: OpenFile) throws(Invalid) -> MappedRegion {
        do {
            return try MappedRegion(file: file, randomAccess: true)
        } catch {
            throw Invalid(reason: "cannot map: \(error)")
        }
    }

    /// Asks for the bytes loading reads (the file's first page) in one request, without waiting: a reader that
    /// loads many segments asks for all of them first, so their reads overlap.
    static func prefetchLoad(_ region: MappedRegion) {
        region.prefetch(0..<4096)
    }

    /// Checks an index file mapped with ``map(_:)``.
    init(region: MappedRegion, expectedBaseSeq: UInt64, segmentSize: Int64) throws(Invalid) {
        self.region = region
        let parsed = try region.withBytes { raw throws(Invalid) in
            try Self.parse(raw, expectedBaseSeq: expectedBaseSeq, segmentSize: segmentSize)
        }
        baseSeq = expectedBaseSeq
        endSeq = parsed.endSeq
        segmentLength = parsed.segmentLength
        batchTable = parsed.batchTable
        damaged = parsed.damaged
        postings = parsed.postings
        traceStartTable = parsed.traceStartTable
        filter = parsed.filter
        var blocks = parsed.postings.map { AtomicBits(count: $0.blocks) }
        blocks[Self.batchSlot] = AtomicBits(count: parsed.batchTable.blocks)
        blocks.append(AtomicBits(count: parsed.traceStartTable.blocks))
        blocks.append(AtomicBits(count: parsed.filter.blocks))
        verifiedBlocks = blocks
        verified = Mutex(Verification())
    }

    private struct Parsed {
        var endSeq: UInt64
        var segmentLength: Int64
        var batchTable = BlockedTable()
        var filter = KeyFilterSection.Mapped()
        var hasFilter = false
        var damaged: [(offset: Int64, length: Int64)] = []
        var postings = Array(repeating: PostingsSection(), count: IndexKind.allCases.count + 1)
        var traceStartTable = BlockedTable()
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
        guard parsed.segmentLength >= SegmentHeader.size else {
            throw Invalid(reason: "index covers \(parsed.segmentLength) bytes, less than a segment header")
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
            let range = Int(rawOffset)..<Int(rawOffset) + Int(rawLength)
            let checksum = raw.loadLittleEndian(at: entry + 24, as: UInt32.self)
            switch kind {
            case SegmentIndexFile.batchesSection:
                parsed.batchTable = try BlockedTable(
                    section: kind, count: count, entrySize: SegmentIndexFile.batchEntrySize, keyOffset: 0,
                    blockEntries: SegmentIndexFile.batchBlockEntries, range: range, checksum: checksum)
            case SegmentIndexFile.traceStartsSection:
                parsed.traceStartTable = try BlockedTable(
                    section: kind, count: count, entrySize: SegmentIndexFile.traceStartEntrySize, keyOffset: 8,
                    blockEntries: SegmentIndexFile.traceStartBlockEntries, range: range, checksum: checksum)
            case 1...UInt32(IndexKind.allCases.count):
                parsed.postings[Int(kind)] = try postingsSection(
                    kind: kind, keys: count, range: range, checksum: checksum)
            case KeyFilterSection.kind:
                parsed.filter = try KeyFilterSection.parse(raw, keys: count, range: range, checksum: checksum)
                parsed.hasFilter = true
            case SegmentIndexFile.damagedSection:
                let bytes = UnsafeRawBufferPointer(rebasing: raw[range])
                guard CRC32C.checksum(bytes) == checksum else {
                    throw Invalid(reason: "section \(kind) checksum mismatch")
                }
                guard count * 16 == range.count else { throw Invalid(reason: "section \(kind) has a wrong length") }
                parsed.damaged = (0..<count).map { index in
                    (
                        raw.loadLittleEndian(at: range.lowerBound + index * 16, as: Int64.self),
                        raw.loadLittleEndian(at: range.lowerBound + index * 16 + 8, as: Int64.self)
                    )
                }
            default: continue  // a section a later version added
            }
        }
        guard parsed.hasFilter else { throw Invalid(reason: "no key filter section") }
        guard parsed.filter.keys == parsed.postings.reduce(0, { $0 + $1.keys }) else {
            throw Invalid(
                reason: "key filter holds \(parsed.filter.keys) keys, the postings directories another number")
        }
        // Batch reads allocate what the batch table says: it must stay inside the segment as it is on disk. An
        // index that is sound in itself (its last batch ends where it says the segment ends) but covers more than
        // the file has means the segment lost its end: that is damage to report, not only an index to rebuild.
        if parsed.segmentLength > segmentSize {
            let last = try checkedBatchTable(
                raw, parsed.batchTable, expectedBaseSeq: expectedBaseSeq, parsed.endSeq,
                segmentLength: parsed.segmentLength)
            let end = last.map { $0.offset + Int64($0.length) } ?? Int64(SegmentHeader.size)
            throw Invalid(
                reason: "index covers \(parsed.segmentLength) bytes of a \(segmentSize)-byte segment",
                coveredLength: end == parsed.segmentLength ? parsed.segmentLength : nil)
        }
        return parsed
    }

    /// Checks the batch table's block table, its first key and its last block, whose last entry must end at the
    /// segment's end seq; returns that entry (nil for an empty table).
    private static func checkedBatchTable(
        _ raw: UnsafeRawBufferPointer, _ table: BlockedTable, expectedBaseSeq: UInt64, _ endSeq: UInt64,
        segmentLength: Int64
    ) throws(Invalid) -> BatchLocation? {
        try table.checkBlockTable(raw)
        guard table.entryCount == 0 || table.firstKey(raw, block: 0) == expectedBaseSeq else {
            throw Invalid(reason: "batch table does not match the segment's sequence range")
        }
        guard table.blocks > 0 else {
            guard endSeq == expectedBaseSeq else {
                throw Invalid(reason: "batch table does not match the segment's sequence range")
            }
            return nil
        }
        let last = try checkedBatchBlock(raw, table, table.blocks - 1, segmentLength: segmentLength).last
        guard last?.endSeq == endSeq else {
            throw Invalid(reason: "batch table does not match the segment's sequence range")
        }
        return last
    }

    /// Checks the batch table's block table and last block on the first batch lookup, once per mapping (a lookup
    /// that the key filter answers never reads the batch table); returns the last batch.
    @discardableResult
    func verifyBatchTable(_ raw: UnsafeRawBufferPointer) throws(Invalid) -> BatchLocation? {
        if let known = verified.withLock({ $0.lastBatch }) { return known }
        prefetchBatchTable()
        let last = try Self.checkedBatchTable(
            raw, batchTable, expectedBaseSeq: baseSeq, endSeq, segmentLength: segmentLength)
        verified.withLock { state in
            state.lastBatch = .some(last)
        }
        if batchTable.blocks > 0 { verifiedBlocks[Self.batchSlot].insert(batchTable.blocks - 1) }
        return last
    }

    /// The last batch of the table (what a checkpoint is matched against), checking the batch table first.
    func lastBatch() throws(Invalid) -> BatchLocation? {
        try region.withBytes { raw throws(Invalid) in try verifyBatchTable(raw) }
    }

    /// Whether the batch header at the last batch entry in `segment` is the one this index was built from
    /// (same offset, sequence range, lengths, times and payload CRC32C): the check that lets an index covering
    /// only a prefix of a segment — a checkpoint — be trusted.
    func lastBatchMatches(_ segment: OpenFile) -> Bool {
        let found: BatchLocation?
        do throws(Invalid) {
            found = try lastBatch()
        } catch {
            return false
        }
        guard let last = found else { return segmentLength == Int64(SegmentHeader.size) }
        guard let bytes = try? segment.read(count: BatchHeader.size, at: last.offset),
            case .success(let header) = bytes.withUnsafeBytes({ BatchHeader.decode($0) })
        else { return false }
        return BatchLocation(header: header, offset: last.offset) == last
    }

    /// The checkpoint of the last segment, if its index file is valid, undamaged, and matches `segment`, with
    /// all its batches (each batch-table block checked).
    static func checkpoint(of segment: SegmentEntry, file: OpenFile, in directory: LogDirectory)
        -> (index: MappedSegmentIndex, batches: [BatchLocation])?
    {
        let path = directory.file(SegmentIndexFile.name(baseSeq: segment.baseSeq))
        guard let size = try? file.size(), let indexFile = try? directory.io.open(path, flags: O_RDONLY),
            let index = try? MappedSegmentIndex(file: indexFile, expectedBaseSeq: segment.baseSeq, segmentSize: size),
            index.damaged.isEmpty, index.lastBatchMatches(file), let batches = try? index.allBatches()
        else { return nil }
        return (index, batches)
    }

    /// Every trace start of this segment, in sequence order; verifies every block of the table.
    func traceStarts() throws(Invalid) -> [TraceStartEntry] {
        var entries: [TraceStartEntry] = []
        entries.reserveCapacity(traceStartTable.entryCount)
        try forEachTraceStart { entries.append($0) }
        return entries
    }

    /// Calls `body` with every trace start of this segment, in sequence order, each block verified before its
    /// entries are handed out (a failed check throws after the blocks before it were).
    func forEachTraceStart(_ body: (TraceStartEntry) -> Void) throws(Invalid) {
        region.prefetch(traceStartTable.bytes)
        try region.withBytes { raw throws(Invalid) in
            try verifyTraceStartTable(raw)
            for block in 0..<traceStartTable.blocks {
                try verifyTraceStartBlock(raw, block)
                for index in traceStartTable.entryRange(block: block) { body(traceStart(raw, at: index)) }
            }
        }
    }

    /// The trace start recorded at `seq`, if one is: a search of the table, verifying the one block it reads.
    func traceStart(seq: UInt64) throws(Invalid) -> TraceStartEntry? {
        try region.withBytes { raw throws(Invalid) in
            try verifyTraceStartTable(raw)
            let found = try traceStartTable.lastEntry(raw, keyAtMost: seq) { block throws(Invalid) in
                try verifyTraceStartBlock(raw, block)
            }
            guard let found, traceStartTable.key(raw, entry: found) == seq else { return nil }
            return traceStart(raw, at: found)
        }
    }

    /// Asks, without waiting, for every trace-start block that holds one of `seqs` (ascending) and was not
    /// checked yet, adjacent blocks in one request: looking up a tag's thousands of traces then waits for those
    /// reads together instead of one cold block after another. Reads the block table, which the lookups read
    /// anyway; if it fails its check, the lookups report it.
    func prefetchTraceStarts(_ seqs: [UInt64]) {
        guard seqs.count > 1 else { return }
        region.withBytes { raw in
            guard (try? verifyTraceStartTable(raw)) != nil else { return }
            var pending: Range<Int>?
            var previous: Int?
            for seq in seqs {
                guard let block = traceStartTable.block(raw, keyAtMost: seq), block != previous else { continue }
                previous = block
                guard !verifiedBlocks[Self.traceStartSlot].contains(block) else { continue }
                let bytes = traceStartTable.bytesRange(block: block)
                if let range = pending, range.upperBound == bytes.lowerBound {
                    pending = range.lowerBound..<bytes.upperBound
                } else {
                    if let range = pending { region.prefetch(range) }
                    pending = bytes
                }
            }
            if let range = pending { region.prefetch(range) }
        }
    }

    /// Checks the trace-start block table on first use (`trace get` never reads it), once per mapping.
    private func verifyTraceStartTable(_ raw: UnsafeRawBufferPointer) throws(Invalid) {
        if verified.withLock({ $0.traceStartTable }) { return }
        region.prefetch(traceStartTable.blockTable..<traceStartTable.entries)
        try traceStartTable.checkBlockTable(raw)
        verified.withLock { $0.traceStartTable = true }
    }

    private func verifyTraceStartBlock(_ raw: UnsafeRawBufferPointer, _ block: Int) throws(Invalid) {
        try verifyBlock(slot: Self.traceStartSlot, block) { () throws(Invalid) in
            region.prefetch(traceStartTable.bytesRange(block: block))
            guard traceStartTable.blockIsSound(raw, block: block) else {
                throw Invalid(
                    reason: "trace-start block \(block) checksum mismatch (index file offset "
                        + "\(traceStartTable.offset(ofEntry: traceStartTable.entryRange(block: block).lowerBound)))")
            }
        }
    }

    /// Runs `check` for `block` of section `slot` unless it passed before in this mapping, and records a pass.
    func verifyBlock(slot: Int, _ block: Int, _ check: () throws(Invalid) -> Void) throws(Invalid) {
        if verifiedBlocks[slot].contains(block) { return }
        try check()
        verifiedBlocks[slot].insert(block)
    }

    private func traceStart(_ raw: UnsafeRawBufferPointer, at index: Int) -> TraceStartEntry {
        let base = traceStartTable.offset(ofEntry: index)
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
