internal import CCRC32C

/// Checksum fix-ups for fuzz inputs: a checksum field that holds 0 means "compute it for me".
///
/// Without this, almost every mutation of a batch or an index fails its CRC32C and the decoders behind the
/// checks are never reached. With it, the fuzzer can reach them by zeroing a checksum field, while inputs
/// with real checksums still exercise the checks themselves (a real CRC32C is 0 once in 4 billion).
enum Checksums {
    /// CRC32C of `bytes`.
    static func crc32c(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tracelog_crc32c(0, bytes.baseAddress, bytes.count)
    }

    /// If the little-endian `UInt32` at `field` is 0, replaces it with the CRC32C of `range`.
    /// Does nothing when either lies outside `bytes`.
    static func fill(_ bytes: inout [UInt8], field: Int, over range: Range<Int>) {
        guard field >= 0, field <= bytes.count - 4, range.lowerBound >= 0, range.upperBound <= bytes.count,
            load(UInt32.self, bytes, at: field) == 0
        else { return }
        let crc = bytes.withUnsafeBytes { crc32c(UnsafeRawBufferPointer(rebasing: $0[range])) }
        for index in 0..<4 { bytes[field + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
    }

    /// A filter stack file (see `FilterStack` in TraceLogStorage): the header's checksum (60, over 0..<60), the
    /// segment table's (after the table), then each group's (its last 4 bytes, over the rest of the group).
    static func fillStack(_ bytes: inout [UInt8]) {
        guard bytes.count >= 64 else { return }
        fill(&bytes, field: 60, over: 0..<60)
        let groups = min(Int(load(UInt32.self, bytes, at: 8)), 4096)
        let segments = min(Int(load(UInt32.self, bytes, at: 12)), 64)
        let stride = Int(load(UInt32.self, bytes, at: 16))
        let tableEnd = 64 + segments * 32
        fill(&bytes, field: tableEnd, over: 64..<tableEnd)
        let groupsOffset = (tableEnd + 4 + 4095) / 4096 * 4096
        guard stride >= 4, stride <= bytes.count else { return }
        for group in 0..<groups {
            let start = groupsOffset + group * stride
            guard start + stride <= bytes.count else { break }
            fill(&bytes, field: start + stride - 4, over: start..<start + stride - 4)
        }
    }

    /// Sets the little-endian `UInt32` at `field` to 0 (to make a fix-up seed from a real file).
    static func clear(_ bytes: inout [UInt8], field: Int) {
        for index in 0..<4 { bytes[field + index] = 0 }
    }

    /// The little-endian integer at `offset`; the caller checks the bounds.
    static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
        return value
    }

    // MARK: Layouts (see OnDiskFormat.md)

    /// Fills the payload checksum (offset 48) and then the header checksum (52) of the batch at `start`.
    static func fillBatch(_ bytes: inout [UInt8], at start: Int) {
        guard start >= 0, bytes.count - start >= 56 else { return }
        let stored = Int(load(UInt32.self, bytes, at: start + 24))
        if stored <= bytes.count - start - 56 {
            fill(&bytes, field: start + 48, over: start + 56..<start + 56 + stored)
        }
        fill(&bytes, field: start + 52, over: start..<start + 52)
    }

    /// Fills the checksums of an index file (version 6): each block checksum of the blocked sections (batch
    /// table, postings, trace starts, key filter), each section's checksum (entry offset 24) over what it covers —
    /// the block table of a blocked section (with the key filter's header), all of any other — then the header
    /// checksum (60).
    static func fillIndex(_ bytes: inout [UInt8]) {
        guard bytes.count >= 64 else { return }
        let sections = min(Int(load(UInt32.self, bytes, at: 32)), 64)
        for section in 0..<sections {
            let entry = 64 + section * 32
            guard entry + 32 <= bytes.count else { break }
            let kind = load(UInt32.self, bytes, at: entry)
            let count = Int(load(UInt32.self, bytes, at: entry + 4))
            let offset = load(UInt64.self, bytes, at: entry + 8)
            let length = load(UInt64.self, bytes, at: entry + 16)
            guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else { continue }
            let range = Int(offset)..<Int(offset + length)
            let covered: Range<Int>
            switch kind {
            case 0: covered = fillBlockedTable(&bytes, range, count: count, entrySize: 48)
            case 16: covered = fillBlockedTable(&bytes, range, count: count, entrySize: 40)
            case 1...5: covered = fillPostings(&bytes, range, keys: count)
            case 18: covered = fillKeyFilter(&bytes, range)
            default: covered = range
            }
            fill(&bytes, field: entry + 24, over: covered)
        }
        fill(&bytes, field: 60, over: 0..<60)
    }

    /// A batch or trace-start table: 16-byte block-table entries (first key, CRC32C, reserved), then blocks of
    /// 64 entries. Returns the block table's range (what the section checksum covers).
    private static func fillBlockedTable(_ bytes: inout [UInt8], _ range: Range<Int>, count: Int, entrySize: Int)
        -> Range<Int>
    {
        let blocks = (count + 63) / 64
        let entries = range.lowerBound + blocks * 16
        guard count <= range.count / entrySize, entries + count * entrySize <= range.upperBound else { return range }
        for block in 0..<blocks {
            let start = entries + block * 64 * entrySize
            let end = entries + min(count, (block + 1) * 64) * entrySize
            fill(&bytes, field: range.lowerBound + block * 16 + 8, over: start..<end)
        }
        return range.lowerBound..<entries
    }

    /// A key filter section: a 32-byte header (filter block count u32 at 0), a CRC32C per 4096-byte page of
    /// filter blocks, zero padding to a 4096-byte boundary of the file, the filter blocks (32 bytes each). Returns
    /// the header and page table's range.
    private static func fillKeyFilter(_ bytes: inout [UInt8], _ range: Range<Int>) -> Range<Int> {
        guard range.count >= 32 else { return range }
        let filterBlocks = Int(load(UInt32.self, bytes, at: range.lowerBound))
        guard filterBlocks <= 1 << 26 else { return range }
        let arrayLength = filterBlocks * 32
        let pages = (arrayLength + 4095) / 4096
        let tableEnd = range.lowerBound + 32 + pages * 4
        let array = (tableEnd + 4095) / 4096 * 4096
        guard array + arrayLength == range.upperBound else { return range }
        for page in 0..<pages {
            let start = array + page * 4096
            fill(&bytes, field: range.lowerBound + 32 + page * 4, over: start..<min(start + 4096, range.upperBound))
        }
        return range.lowerBound..<tableEnd
    }

    /// A postings section: 12-byte block-table entries (first hash, list offset, CRC32C of the block's directory
    /// entries then lists), the directory (8 bytes per key), the lists. Returns the block table's range.
    private static func fillPostings(_ bytes: inout [UInt8], _ range: Range<Int>, keys: Int) -> Range<Int> {
        let blocks = (keys + 127) / 128
        let directory = range.lowerBound + blocks * 12
        let lists = directory + keys * 8
        guard keys <= range.count / 8, lists <= range.upperBound else { return range }
        for block in 0..<blocks {
            let field = range.lowerBound + block * 12 + 8
            guard load(UInt32.self, bytes, at: field) == 0 else { continue }
            let listStart = lists + Int(load(UInt32.self, bytes, at: field - 4))
            let listEnd = block + 1 < blocks ? lists + Int(load(UInt32.self, bytes, at: field + 8)) : range.upperBound
            guard listStart <= listEnd, listEnd <= range.upperBound else { continue }
            let entries = directory + block * 128 * 8..<directory + min(keys, (block + 1) * 128) * 8
            let crc = bytes.withUnsafeBytes { raw in
                tracelog_crc32c(
                    crc32c(UnsafeRawBufferPointer(rebasing: raw[entries])), raw.baseAddress! + listStart,
                    listEnd - listStart)
            }
            for index in 0..<4 { bytes[field + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
        }
        return range.lowerBound..<directory
    }
}
