/// The log's filter stack, `filters.tlfs`: the key filters of up to ``maxSegments`` sealed segments, laid out so
/// that one read answers for all of them.
///
/// Each segment's index file has a key filter of its own (see ``KeyFilterSection``), so a lookup reads one filter
/// page per segment: on a cold cache, ten segments are ten read requests before the first posting, for each key
/// a query looks up. The stack holds, for each segment, a second blocked Bloom filter of the same keys, with a
/// power-of-two block count, and stores the blocks *group by group*: a key's 64-bit filter hash picks a group (its
/// top bits), and the group holds, segment after segment, the blocks of each segment's filter that the key can
/// select. So a lookup reads one group — a few KiB, one request — and learns which segments may hold the key.
///
/// ```
/// header (64 bytes): magic "TLFS", version u16 (1), reserved u16, group count u32 (a power of two), segment
///                    count u32, group stride u32 (bytes per group, its checksum included), reserved to 60,
///                    CRC32C of bytes 0..<60 at 60
/// segment table:     per segment 32 bytes, oldest first: base seq u64, end seq u64 (one past its last record),
///                    filter blocks u32 (a multiple of the group count, or a power of two below it), keys u32,
///                    reserved u64; then CRC32C u32 of the table
/// padding:           zero bytes up to file offset 4096 × ⌈(64 + 32 × segments + 4) / 4096⌉
/// groups:            group count × stride bytes: per segment in table order, its filter blocks that group g can
///                    select — blocks g × s ..< (g + 1) × s where s = blocks / groups, or the one block
///                    g × blocks / groups when the filter has fewer blocks than there are groups — then CRC32C u32
///                    of the group's blocks
/// ```
///
/// A filter block is chosen as in ``BlockedBloomFilter``: the high 32 bits of the hash, x, scaled to the block
/// count B, ⌊x·B / 2³²⌋. The group is ⌊x·G / 2³²⌋ for G groups (a power of two); when B = m·G the block is
/// ⌊x·m·G / 2³²⌋, which lies in m·group ..< m·(group + 1), and when B is a power of two below G it is the group's
/// top bits. So each filter's block count is its needed blocks (12 bits per key, like the index files' filters)
/// rounded up to a multiple of G, or below G to a power of two, and the group holds the key's block of every
/// filter. The group count is the largest filter's needed blocks rounded up to a power of two, at most
/// ``maxGroups``: 4,096 groups of 2.8 KiB for the nine sealed 64 MiB segments of a 10M-record log (a group
/// straddles at most two pages, read in one request). The filters take about 1.6 bytes per key; an absent key
/// passes a segment with probability 0.5% or less.
///
/// The stack is derived data, like the index files: it covers the segments in its table, matched by base and end
/// sequence number; a lookup asks each segment it does not cover (newer than the stack, or changed) its own
/// filter. A stack that is missing, of another version, or fails a check is not used — a group whose checksum
/// fails is ignored for the rest of the mapping, and the lookup asks the segments' own filters — so no damage to
/// it can change an answer. The writer's process writes it after each index file it writes for a sealed segment
/// and when it closes (the file is replaced whole: written to `filters.tlfs.tmp`, synced, renamed), reusing the
/// filters of the segments it already covered; `verify` checks every group and that each covered segment's
/// postings keys all pass.
enum FilterStack {
    static let fileName = "filters.tlfs"
    static let magic: UInt32 = 0x5346_4C54  // "TLFS"
    static let version: UInt16 = 1
    static let headerSize = 64
    static let segmentEntrySize = 32
    static let pageSize = 4096
    /// The most groups a stack has: 4,096 groups of 32-byte blocks per slot.
    static let maxGroups = 4096
    /// The newest sealed segments a stack covers: every seal rewrites the whole file (1.3 MB per 64 MiB
    /// segment), so a log of more segments asks the older ones their own filters.
    static let maxSegments = 64

    /// One segment's filter in a stack.
    struct Segment: Sendable, Equatable {
        var baseSeq: UInt64
        var endSeq: UInt64
        var keys: Int
        /// Its block count fits the stack's group count (see ``FilterStack/fits(blocks:groups:)``).
        var filter: BlockedBloomFilter

        /// The filter of `keys` (kind and stored-hash pairs, see ``KeyFilterSection/key(_:storedHash:)``) for a
        /// stack of `groups` groups.
        init(baseSeq: UInt64, endSeq: UInt64, keys: [UInt64], groups: Int) {
            let blocks = FilterStack.blockCount(keys: keys.count, groups: groups)
            self.init(
                baseSeq: baseSeq, endSeq: endSeq, keys: keys.count,
                filter: BlockedBloomFilter(keys: keys, blockCount: blocks))
        }

        init(baseSeq: UInt64, endSeq: UInt64, keys: Int, filter: BlockedBloomFilter) {
            (self.baseSeq, self.endSeq, self.keys, self.filter) = (baseSeq, endSeq, keys, filter)
        }
    }

    /// The blocks a filter of `keys` keys needs (what an index file's filter has; at least 1).
    static func neededBlocks(keys: Int) -> Int { max(1, BlockedBloomFilter.blockCount(keys: keys)) }

    /// The smallest power of two not below `count`.
    static func powerOfTwo(atLeast count: Int) -> Int {
        var power = 1
        while power < count { power <<= 1 }
        return power
    }

    /// The group count of a stack of segments of these key counts: the largest filter's needed blocks, rounded up
    /// to a power of two, at most ``maxGroups``.
    static func groupCount(keyCounts: [Int]) -> Int {
        min(maxGroups, powerOfTwo(atLeast: keyCounts.map { neededBlocks(keys: $0) }.max() ?? 1))
    }

    /// A filter's block count in a stack of `groups` groups: the needed blocks rounded up to a multiple of the
    /// group count, or, below it, to a power of two — so that each group holds whole blocks of every filter.
    static func blockCount(keys: Int, groups: Int) -> Int {
        let needed = neededBlocks(keys: keys)
        return needed >= groups ? (needed + groups - 1) / groups * groups : powerOfTwo(atLeast: needed)
    }

    /// Whether a filter of `blocks` blocks fits a stack of `groups` groups (see ``blockCount(keys:groups:)``).
    static func fits(blocks: Int, groups: Int) -> Bool {
        blocks > 0 && (blocks >= groups ? blocks % groups == 0 : blocks & (blocks - 1) == 0)
    }

    /// Blocks a filter of `blocks` blocks has in each group.
    static func slots(blocks: Int, groups: Int) -> Int { max(1, blocks / groups) }

    /// File offset of the first group.
    static func groupsOffset(segments: Int) -> Int {
        (headerSize + segments * segmentEntrySize + 4 + pageSize - 1) / pageSize * pageSize
    }

    /// The file bytes of a stack of `segments` (oldest first) in `groups` groups; every filter must fit (see
    /// ``fits(blocks:groups:)``).
    static func encode(_ segments: [Segment], groups: Int) -> [UInt8] {
        precondition(
            segments.allSatisfy { fits(blocks: $0.filter.blockCount, groups: groups) }, "a filter does not fit")
        let slotCounts = segments.map { slots(blocks: $0.filter.blockCount, groups: groups) }
        let stride = slotCounts.reduce(0, +) * BlockedBloomFilter.blockBytes + 4
        var bytes = BinaryEncoder(capacity: groupsOffset(segments: segments.count) + groups * stride)
        bytes.append(littleEndian: magic)
        bytes.append(littleEndian: version)
        bytes.append(littleEndian: UInt16(0))
        bytes.append(littleEndian: UInt32(groups))
        bytes.append(littleEndian: UInt32(segments.count))
        bytes.append(littleEndian: UInt32(stride))
        while bytes.count < headerSize - 4 { bytes.append(0) }
        bytes.append(littleEndian: bytes.bytes.withUnsafeBytes { CRC32C.checksum($0) })
        for segment in segments {
            bytes.append(littleEndian: segment.baseSeq)
            bytes.append(littleEndian: segment.endSeq)
            bytes.append(littleEndian: UInt32(segment.filter.blockCount))
            bytes.append(littleEndian: UInt32(clamping: segment.keys))
            bytes.append(littleEndian: UInt64(0))
        }
        bytes.append(
            littleEndian: bytes.bytes.withUnsafeBytes { raw in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
            })
        while bytes.count < groupsOffset(segments: segments.count) { bytes.append(0) }
        let blockBytes = BlockedBloomFilter.blockBytes
        for group in 0..<groups {
            let start = bytes.count
            for (segment, slots) in zip(segments, slotCounts) {
                let blocks = segment.filter.blockCount
                let first = blocks >= groups ? group * slots : group * blocks / groups
                bytes.bytes.append(contentsOf: segment.filter.bytes[first * blockBytes..<(first + slots) * blockBytes])
            }
            bytes.append(
                littleEndian: bytes.bytes.withUnsafeBytes { raw in
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[start...]))
                })
        }
        return bytes.bytes
    }
}
