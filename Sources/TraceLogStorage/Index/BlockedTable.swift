/// Where one index-file section of fixed-size entries sorted by a u64 key lies, and how to search it in place.
///
/// The section is a block table followed by the entries, in blocks of ``blockEntries`` entries. The block table
/// has 16 bytes per block: the key of the block's first entry (u64), the CRC32C of the block's entries (u32)
/// and a reserved u32. The section table's checksum covers only the block table, so that loading reads a few
/// bytes per thousand entries; a search reads the block table and then one block, which the caller verifies
/// (see ``MappedSegmentIndex``) before the search looks inside it. The batch table and the trace-start table
/// are stored this way.
struct BlockedTable: Sendable {
    /// Bytes per block-table entry.
    static let blockTableEntrySize = 16

    var entryCount = 0
    var entrySize = 1
    /// Byte offset of an entry's u64 key inside the entry.
    var keyOffset = 0
    var blockEntries = 1
    /// File offsets of the block table and of the first entry.
    var blockTable = 0
    var entries = 0

    var blocks: Int { (entryCount + blockEntries - 1) / blockEntries }

    /// An empty table (a section the file does not have).
    init() {}

    /// The encoded section: block table, then the entries (`entries` holds `count` entries of `entrySize` bytes,
    /// sorted by the key at `keyOffset`).
    static func encode(entries: [UInt8], count: Int, entrySize: Int, keyOffset: Int, blockEntries: Int)
        -> (bytes: [UInt8], checkedLength: Int)
    {
        let blocks = (count + blockEntries - 1) / blockEntries
        var table = BinaryEncoder(capacity: blocks * blockTableEntrySize + entries.count)
        entries.withUnsafeBytes { raw in
            for block in 0..<blocks {
                let start = block * blockEntries * entrySize
                let end = min(count, (block + 1) * blockEntries) * entrySize
                table.append(littleEndian: raw.loadLittleEndian(at: start + keyOffset, as: UInt64.self))
                table.append(littleEndian: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[start..<end])))
                table.append(littleEndian: UInt32(0))
            }
        }
        let checkedLength = table.count
        table.bytes.append(contentsOf: entries)
        return (table.bytes, checkedLength)
    }

    /// The section table's checksum of the block table, and the section's kind (for messages).
    var checksum: UInt32 = 0
    var section: UInt32 = 0

    /// Checks the section's shape. The block table is checked by ``checkBlockTable(_:)`` (at load for the batch
    /// table, on first use for the trace starts), the blocks when read.
    init(
        section: UInt32, count: Int, entrySize: Int, keyOffset: Int, blockEntries: Int, range: Range<Int>,
        checksum: UInt32
    ) throws(MappedSegmentIndex.Invalid) {
        self.section = section
        self.checksum = checksum
        self.entryCount = count
        self.entrySize = entrySize
        self.keyOffset = keyOffset
        self.blockEntries = blockEntries
        let tableLength = blocks * Self.blockTableEntrySize
        guard count <= range.count / entrySize, tableLength + count * entrySize == range.count else {
            throw MappedSegmentIndex.Invalid(reason: "section \(section) has a wrong length")
        }
        blockTable = range.lowerBound
        entries = range.lowerBound + tableLength
    }

    /// Checks the block table (the part the section checksum covers): its checksum, and first keys strictly
    /// ascending.
    func checkBlockTable(_ raw: UnsafeRawBufferPointer) throws(MappedSegmentIndex.Invalid) {
        let table = UnsafeRawBufferPointer(rebasing: raw[blockTable..<entries])
        guard CRC32C.checksum(table) == checksum else {
            throw MappedSegmentIndex.Invalid(reason: "section \(section) checksum mismatch")
        }
        for block in 1..<max(1, blocks) where firstKey(raw, block: block - 1) >= firstKey(raw, block: block) {
            throw MappedSegmentIndex.Invalid(reason: "section \(section) block \(block) is out of order")
        }
    }

    func firstKey(_ raw: UnsafeRawBufferPointer, block: Int) -> UInt64 {
        raw.loadLittleEndian(at: blockTable + block * Self.blockTableEntrySize, as: UInt64.self)
    }

    func storedChecksum(_ raw: UnsafeRawBufferPointer, block: Int) -> UInt32 {
        raw.loadLittleEndian(at: blockTable + block * Self.blockTableEntrySize + 8, as: UInt32.self)
    }

    /// The entry indices of `block`.
    func entryRange(block: Int) -> Range<Int> {
        block * blockEntries..<min(entryCount, (block + 1) * blockEntries)
    }

    /// The file bytes of the whole section.
    var bytes: Range<Int> { blockTable..<entries + entryCount * entrySize }

    /// The file offset of entry `index`.
    func offset(ofEntry index: Int) -> Int { entries + index * entrySize }

    func key(_ raw: UnsafeRawBufferPointer, entry index: Int) -> UInt64 {
        raw.loadLittleEndian(at: offset(ofEntry: index) + keyOffset, as: UInt64.self)
    }

    /// The file range of `block`'s entries, which its stored checksum covers.
    func bytesRange(block: Int) -> Range<Int> {
        let range = entryRange(block: block)
        return offset(ofEntry: range.lowerBound)..<offset(ofEntry: range.upperBound)
    }

    /// The bytes of `block`'s entries.
    func bytes(_ raw: UnsafeRawBufferPointer, block: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[bytesRange(block: block)])
    }

    /// Whether `block`'s bytes match its checksum, its first key is the one in the block table, and its keys
    /// rise strictly up to (not including) the next block's first key.
    func blockIsSound(_ raw: UnsafeRawBufferPointer, block: Int) -> Bool {
        guard CRC32C.checksum(bytes(raw, block: block)) == storedChecksum(raw, block: block) else { return false }
        let range = entryRange(block: block)
        guard key(raw, entry: range.lowerBound) == firstKey(raw, block: block) else { return false }
        var previous = key(raw, entry: range.lowerBound)
        for index in range.dropFirst() {
            let next = key(raw, entry: index)
            guard previous < next else { return false }
            previous = next
        }
        return block + 1 == blocks || previous < firstKey(raw, block: block + 1)
    }

    /// The last block whose first key is at most `key` (the one block that can hold it), or nil if every key is
    /// greater: a binary search of the block table alone.
    func block(_ raw: UnsafeRawBufferPointer, keyAtMost key: UInt64) -> Int? {
        var low = 0
        var high = blocks
        while low < high {
            let middle = (low + high) / 2
            if firstKey(raw, block: middle) <= key { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? low - 1 : nil
    }

    /// The index of the last entry whose key is at most `key`, or nil if every key is greater: a binary search of
    /// the block table, then of the one block it picks, which `verify` checks before it is searched.
    func lastEntry<Failure: Error>(
        _ raw: UnsafeRawBufferPointer, keyAtMost key: UInt64, verify: (Int) throws(Failure) -> Void
    ) throws(Failure) -> Int? {
        guard let block = block(raw, keyAtMost: key) else { return nil }
        try verify(block)
        let range = entryRange(block: block)
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if self.key(raw, entry: middle) <= key { low = middle + 1 } else { high = middle }
        }
        return low - 1  // entry `range.lowerBound` has the block's first key, which is at most `key`
    }
}
