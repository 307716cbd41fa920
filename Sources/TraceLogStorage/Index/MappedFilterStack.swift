import Synchronization

/// A mapped ``FilterStack`` file: which covered segments may hold a key, from one group read.
///
/// Nothing is read when it is made. The header and segment table are checked on first use (their page is asked
/// for when the reader opens), each group the first time a lookup reads it. A check that fails makes the stack,
/// or that group, answer "not covered" from then on, so lookups ask the segments' own filters: the reason is kept
/// for `verify`.
final class MappedFilterStack: Sendable {
    /// A segment the stack covers, and where its blocks sit in each group.
    struct Entry: Sendable, Equatable {
        var baseSeq: UInt64
        var endSeq: UInt64
        var blocks: Int
        var keys: Int
        /// Byte offset of its blocks inside a group.
        var offsetInGroup: Int
        /// Its blocks per group.
        var slots: Int
    }

    /// The checked header and segment table.
    struct Layout: Sendable {
        var groups = 0
        var stride = 0
        var groupsOffset = 0
        var entries: [Entry] = []
    }

    private struct State: Sendable {
        var layout: Result<Layout, MappedSegmentIndex.Invalid>?
        /// One bit per group: checked and sound.
        var verified: [UInt64] = []
        /// One bit per group: failed its check.
        var failed: [UInt64] = []
        /// The first group check that failed, for `verify`.
        var problem: String?
    }

    let region: MappedRegion
    /// The file's inode, so a reader notices when the writer replaced the file.
    let inode: UInt64
    private let state = Mutex(State())

    init(region: MappedRegion, inode: UInt64) {
        self.region = region
        self.inode = inode
    }

    /// Asks for the header and segment table without waiting.
    func prefetchLayout() {
        region.prefetch(0..<min(region.count, FilterStack.pageSize))
    }

    /// The header and segment table, checked once; nil if the file is not a sound stack.
    func layout() -> Layout? {
        let known = state.withLock { $0.layout }
        if let known { return try? known.get() }
        let parsed = Result { () throws(MappedSegmentIndex.Invalid) in try region.withBytes(Self.parse) }
        state.withLock { state in
            state.layout = parsed
            if case .success(let layout) = parsed {
                state.verified = [UInt64](repeating: 0, count: (layout.groups + 63) / 64)
                state.failed = state.verified
            }
        }
        return try? parsed.get()
    }

    /// Why the stack is not used, or the first group that failed its check; nil if every check so far passed.
    var problem: String? {
        state.withLock { state in
            if case .failure(let failure)? = state.layout { return failure.reason }
            return state.problem
        }
    }

    private static func parse(_ raw: UnsafeRawBufferPointer) throws(MappedSegmentIndex.Invalid) -> Layout {
        let headerSize = FilterStack.headerSize
        guard raw.count >= headerSize else { throw .init(reason: "filter stack shorter than its header") }
        guard raw.loadLittleEndian(at: 0, as: UInt32.self) == FilterStack.magic,
            raw.loadLittleEndian(at: 4, as: UInt16.self) == FilterStack.version
        else { throw .init(reason: "filter stack has another magic or version") }
        guard
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<headerSize - 4]))
                == raw.loadLittleEndian(at: headerSize - 4, as: UInt32.self)
        else { throw .init(reason: "filter stack header checksum mismatch") }
        let groups = Int(raw.loadLittleEndian(at: 8, as: UInt32.self))
        let count = Int(raw.loadLittleEndian(at: 12, as: UInt32.self))
        let stride = Int(raw.loadLittleEndian(at: 16, as: UInt32.self))
        guard groups > 0, groups <= FilterStack.maxGroups, groups & (groups - 1) == 0,
            count <= FilterStack.maxSegments
        else { throw .init(reason: "filter stack header has implausible parameters") }
        let tableEnd = headerSize + count * FilterStack.segmentEntrySize
        let groupsOffset = FilterStack.groupsOffset(segments: count)
        guard raw.count >= tableEnd + 4,
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[headerSize..<tableEnd]))
                == raw.loadLittleEndian(at: tableEnd, as: UInt32.self)
        else { throw .init(reason: "filter stack segment table checksum mismatch") }
        var layout = Layout(groups: groups, stride: stride, groupsOffset: groupsOffset)
        var offset = 0
        for index in 0..<count {
            let at = headerSize + index * FilterStack.segmentEntrySize
            let blocks = Int(raw.loadLittleEndian(at: at + 16, as: UInt32.self))
            guard FilterStack.fits(blocks: blocks, groups: groups) else {
                throw .init(reason: "filter stack segment \(index) has a filter of \(blocks) blocks")
            }
            let slots = FilterStack.slots(blocks: blocks, groups: groups)
            let baseSeq = raw.loadLittleEndian(at: at, as: UInt64.self)
            guard layout.entries.last.map({ $0.baseSeq < baseSeq }) ?? true else {
                throw .init(reason: "filter stack segment table is not in sequence order")
            }
            layout.entries.append(
                Entry(
                    baseSeq: baseSeq,
                    endSeq: raw.loadLittleEndian(at: at + 8, as: UInt64.self), blocks: blocks,
                    keys: Int(raw.loadLittleEndian(at: at + 20, as: UInt32.self)), offsetInGroup: offset, slots: slots))
            offset += slots * BlockedBloomFilter.blockBytes
        }
        guard stride == offset + 4, groupsOffset + groups * stride == raw.count else {
            throw .init(reason: "filter stack has a wrong length")
        }
        return layout
    }

    /// The group a lookup of this key reads.
    private static func group(_ filterHash: UInt64, _ layout: Layout) -> Int {
        BlockedBloomFilter.block(filterHash, blockCount: layout.groups)
    }

    private func groupRange(_ group: Int, _ layout: Layout) -> Range<Int> {
        let start = layout.groupsOffset + group * layout.stride
        return start..<start + layout.stride
    }

    /// Asks, without waiting, for the group a lookup of this key reads (the header's page must have been read;
    /// if it was not checked yet, this waits for it).
    func prefetch(_ kind: IndexKind, hash: UInt64) {
        guard let layout = layout() else { return }
        let filterHash = BlockedBloomFilter.hash(KeyFilterSection.key(kind, hash: hash))
        region.prefetch(groupRange(Self.group(filterHash, layout), layout))
    }

    /// The index of the table entry that describes a segment as it is now (same base and end sequence number),
    /// if the stack covers it. A binary search of at most ``FilterStack/maxSegments`` entries; allocates nothing.
    func entryIndex(baseSeq: UInt64, endSeq: UInt64) -> Int? {
        guard let entries = layout()?.entries else { return nil }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].baseSeq < baseSeq { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, entries[low].baseSeq == baseSeq, entries[low].endSeq == endSeq else { return nil }
        return low
    }

    /// Bit `i` set when the filter of table entry `i` may hold the key (clear: it certainly does not); nil when
    /// the stack cannot answer (it fails a check, or the key's group does). Reads and checks one group.
    func passMask(_ kind: IndexKind, hash: UInt64) -> UInt64? {
        guard let layout = layout() else { return nil }
        let filterHash = BlockedBloomFilter.hash(KeyFilterSection.key(kind, hash: hash))
        let group = Self.group(filterHash, layout)
        guard checkGroup(group, layout) else { return nil }
        let start = groupRange(group, layout).lowerBound
        return region.withBytes { raw in
            var mask: UInt64 = 0
            for (index, entry) in layout.entries.enumerated()
            where Self.passes(filterHash, entry, groupStart: start, group: group, raw, layout) {
                mask |= 1 << UInt64(index)
            }
            return mask
        }
    }

    /// Whether `entry`'s filter block for the hash, in the group starting at `groupStart`, has all its bits.
    private static func passes(
        _ filterHash: UInt64, _ entry: Entry, groupStart: Int, group: Int, _ raw: UnsafeRawBufferPointer,
        _ layout: Layout
    ) -> Bool {
        let block = BlockedBloomFilter.block(filterHash, blockCount: entry.blocks)
        let slot = entry.blocks >= layout.groups ? block - group * entry.slots : 0
        let at = groupStart + entry.offsetInGroup + slot * BlockedBloomFilter.blockBytes
        return BlockedBloomFilter.blockContains(
            filterHash, UnsafeRawBufferPointer(rebasing: raw[at..<at + BlockedBloomFilter.blockBytes]))
    }

    /// Whether a covered segment's filter passes a filter key (see ``KeyFilterSection/key(_:storedHash:)``);
    /// nil if the key's group fails its check. For `verify`.
    func passes(filterKey: UInt64, entry: Entry) -> Bool? {
        guard let layout = layout() else { return nil }
        let filterHash = BlockedBloomFilter.hash(filterKey)
        let group = Self.group(filterHash, layout)
        guard checkGroup(group, layout) else { return nil }
        let start = groupRange(group, layout).lowerBound
        return region.withBytes { raw in
            Self.passes(filterHash, entry, groupStart: start, group: group, raw, layout)
        }
    }

    /// Checks a group's checksum the first time it is read; false if it failed (now or before).
    private func checkGroup(_ group: Int, _ layout: Layout) -> Bool {
        let (word, bit) = (group / 64, UInt64(1) << (group % 64))
        let known = state.withLock { state in
            state.verified[word] & bit != 0 ? true : state.failed[word] & bit != 0 ? false : nil
        }
        if let known { return known }
        let range = groupRange(group, layout)
        let sound = region.withBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range.lowerBound..<range.upperBound - 4]))
                == raw.loadLittleEndian(at: range.upperBound - 4, as: UInt32.self)
        }
        state.withLock { state in
            if sound {
                state.verified[word] |= bit
            } else {
                state.failed[word] |= bit
                state.problem =
                    state.problem ?? "filter stack group \(group) checksum mismatch (file offset \(range.lowerBound))"
            }
        }
        return sound
    }

    /// A covered segment's whole filter, gathered from every group (each checked), to carry it into a new stack.
    func filter(of entry: Entry) throws(MappedSegmentIndex.Invalid) -> BlockedBloomFilter {
        guard let layout = layout() else { throw .init(reason: problem ?? "filter stack unreadable") }
        region.prefetch(layout.groupsOffset..<region.count)
        let blockBytes = BlockedBloomFilter.blockBytes
        var bytes = [UInt8](repeating: 0, count: entry.blocks * blockBytes)
        for block in 0..<entry.blocks {
            let group = entry.blocks >= layout.groups ? block / entry.slots : block * layout.groups / entry.blocks
            guard checkGroup(group, layout) else { throw .init(reason: problem ?? "filter stack group unsound") }
            let slot = entry.blocks >= layout.groups ? block - group * entry.slots : 0
            let at = groupRange(group, layout).lowerBound + entry.offsetInGroup + slot * blockBytes
            region.withBytes { raw in
                bytes.withUnsafeMutableBytes { target in
                    target.baseAddress!.advanced(by: block * blockBytes).copyMemory(
                        from: raw.baseAddress!.advanced(by: at), byteCount: blockBytes)
                }
            }
        }
        return BlockedBloomFilter(blockCount: entry.blocks, bytes: bytes)
    }

    /// Checks every group (what `verify` asks); throws the first failure.
    func checkAll() throws(MappedSegmentIndex.Invalid) {
        guard let layout = layout() else { throw .init(reason: problem ?? "filter stack unreadable") }
        region.prefetch(layout.groupsOffset..<region.count)
        for group in 0..<layout.groups where !checkGroup(group, layout) {
            throw .init(reason: problem ?? "filter stack group \(group) unsound")
        }
    }
}
