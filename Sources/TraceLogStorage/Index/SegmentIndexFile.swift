import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The index file of a segment, `<base seq>.tlidx`: immutable, memory-mapped, derived from the segment.
///
/// It covers the segment's first `segment length` bytes. For a sealed segment that is normally all of it; for
/// the active segment it is a checkpoint written at a clean close, so the next open maps it and scans only the
/// bytes appended after it. A file covering less than the whole segment is used only if its last batch entry
/// still matches the batch header in the segment (offset, sequence range, length and payload CRC32C).
///
/// ```
/// header (64 bytes): magic "TLIX", version u16 (6), reserved u16, segment base seq u64, segment end seq u64,
///                    segment length u64 (bytes of the segment it covers), section count u32, reserved to 60,
///                    CRC32C of bytes 0..<60 at 60
/// section table:     per section 32 bytes: kind u32, entry count u32, offset u64, length u64, CRC32C u32, reserved
/// sections:          in the order 17, 18, 0, 1…5, 16, so that loading reads only the file's first page or so
///                    kind 17 damaged        16 bytes each: offset u64, length u64 — the damage known when the
///                                           file was built: corrupt batch data, a torn end, and bytes cut off
///                                           the end (a region reaching past the segment's current length),
///                                           so the record of damage outlives the file that revealed it
///                    kind 18 key filter     entry count = keys of all postings sections: a blocked Bloom filter of
///                                           (kind, stored hash), see ``KeyFilterSection``
///                    kind 0  batches        entry count = batches, in blocks of 64 (see ``BlockedTable``):
///                                           block table, per block 16 bytes: first base seq u64, CRC32C u32 of
///                                           the block's entries, reserved u32;
///                                           entries, 48 bytes each: base seq, file offset, length u32, record
///                                           count u32, min time, max time, uncompressed length u32, payload
///                                           CRC32C u32 — in file (and sequence) order
///                    kind 1…5 postings      entry count = keys, in blocks of 128 keys:
///                                           block table, per block 12 bytes: first stored hash u32, byte offset
///                                           u32 of the block's lists, CRC32C u32 of the block (its directory
///                                           entries, then its lists);
///                                           directory, per key 8 bytes: stored hash u32 (high half of the key
///                                           hash), byte offset u32 into the lists — sorted by hash;
///                                           lists: per key, ascending seqs as varints (first minus the segment
///                                           base seq, then deltas)
///                    kind 16 trace starts   entry count = traces, in blocks of 64 like the batches (first seq
///                                           u64, CRC32C u32, reserved u32 per block), then 40 bytes each: time
///                                           i64, seq u64, trace id (2 × u64), tag hash u64 — in sequence order
/// ```
/// The section table's checksum of a blocked section (key filter, batches, postings, trace starts) covers its
/// block table (and the filter's header); the damaged list's covers all of it. Loading verifies the header, the
/// section table, the damaged list and the filter's header and block table. Everything else is verified where
/// it is read: the batch table's block table and last block on the first batch lookup, a postings block table
/// on the first lookup of its kind, and each block (a few KiB) the first time a lookup reads it. So opening a large log and answering one query reads a few pages of each index file, not whole
/// tables, which is what a cold page cache makes expensive. A file that fails a check at load is treated as
/// missing; one that fails later is dropped then, and in both cases the index is rebuilt from the segment (see
/// ``ReaderSegment``) and `verify` names the file and the check. Files of an earlier version are rebuilt the
/// same way (and rewritten by a reader that persists indexes).
enum SegmentIndexFile {
    static let suffix = ".tlidx"
    static let magic: UInt32 = 0x5849_4C54  // "TLIX"
    static let version: UInt16 = 6
    static let headerSize = 64
    static let sectionEntrySize = 32
    static let batchesSection: UInt32 = 0
    static let traceStartsSection: UInt32 = 16
    static let damagedSection: UInt32 = 17
    /// Keys per postings block: one checksum per block, so a lookup verifies about 2 KiB.
    static let blockKeys = 128
    static let blockEntrySize = 12
    static let batchEntrySize = 48
    /// Batches per batch-table block (3 KiB, one checksum).
    static let batchBlockEntries = 64
    static let traceStartEntrySize = 40
    /// Trace starts per trace-start block (2.5 KiB, one checksum).
    static let traceStartBlockEntries = 64

    static func name(baseSeq: UInt64) -> String { SegmentName.padded(baseSeq) + suffix }

    /// Encodes a whole index file; nil if a postings section would pass 4 GiB (the segment then keeps an
    /// in-memory index). Throws if `index` is (partly) a mapped file that fails a check while being read.
    static func encode(
        baseSeq: UInt64, endSeq: UInt64, segmentLength: Int64, batches: [BatchLocation], index: SegmentIndex,
        damaged: [DamagedRegion]
    ) throws(MappedSegmentIndex.Invalid) -> [UInt8]? {
        var sections: [(UInt32, Int, [UInt8])] = []
        // Bytes covered by the section table's checksum, where that is not the whole section.
        var checkedLengths: [UInt32: Int] = [:]
        // What loading reads comes first, so that it lies in the file's first page: the damaged list, then the
        // key filter (its header and page table; a lookup reads one page of its filter blocks).
        var damagedBytes = BinaryEncoder()
        for region in damaged {
            damagedBytes.append(littleEndian: region.offset)
            damagedBytes.append(littleEndian: region.length)
        }
        sections.append((damagedSection, damaged.count, damagedBytes.bytes))
        var postingsSections: [(UInt32, Int, [UInt8])] = []
        var filterKeys: [UInt64] = []
        for kind in try encodeKinds(index, baseSeq: baseSeq) {
            guard let kind else { return nil }
            postingsSections.append((UInt32(kind.kind.rawValue), kind.keys, kind.bytes))
            checkedLengths[UInt32(kind.kind.rawValue)] = blockCount(keys: kind.keys) * blockEntrySize
            filterKeys += kind.filterKeys
        }
        // The filter is the second section: its offset follows from the section count (fixed) and the damaged
        // list, and it aligns its filter blocks to a page of the file.
        let sectionCount = 4 + IndexKind.allCases.count  // damaged, filter, batches, postings, trace starts
        let filterOffset = headerSize + sectionCount * sectionEntrySize + damagedBytes.count
        let filter = KeyFilterSection.encode(BlockedBloomFilter(keys: filterKeys), sectionOffset: filterOffset)
        sections.append((KeyFilterSection.kind, filterKeys.count, filter.bytes))
        checkedLengths[KeyFilterSection.kind] = filter.checkedLength
        var batchBytes = BinaryEncoder(capacity: batches.count * batchEntrySize)
        for batch in batches {
            batchBytes.append(littleEndian: batch.baseSeq)
            batchBytes.append(littleEndian: batch.offset)
            batchBytes.append(littleEndian: UInt32(batch.length))
            batchBytes.append(littleEndian: batch.recordCount)
            batchBytes.append(littleEndian: batch.minTime)
            batchBytes.append(littleEndian: batch.maxTime)
            batchBytes.append(littleEndian: batch.uncompressedLength)
            batchBytes.append(littleEndian: batch.checksum)
        }
        let batchSection = BlockedTable.encode(
            entries: batchBytes.bytes, count: batches.count, entrySize: batchEntrySize, keyOffset: 0,
            blockEntries: batchBlockEntries)
        sections.append((batchesSection, batches.count, batchSection.bytes))
        checkedLengths[batchesSection] = batchSection.checkedLength
        sections += postingsSections
        let traceStarts = try index.traceStarts()
        var starts = BinaryEncoder(capacity: traceStarts.count * traceStartEntrySize)
        for entry in traceStarts {
            starts.append(littleEndian: entry.time)
            starts.append(littleEndian: entry.seq)
            starts.append(littleEndian: entry.traceID.high)
            starts.append(littleEndian: entry.traceID.low)
            starts.append(littleEndian: entry.tagHash)
        }
        let startSection = BlockedTable.encode(
            entries: starts.bytes, count: traceStarts.count, entrySize: traceStartEntrySize, keyOffset: 8,
            blockEntries: traceStartBlockEntries)
        sections.append((traceStartsSection, traceStarts.count, startSection.bytes))
        checkedLengths[traceStartsSection] = startSection.checkedLength

        precondition(sections.count == sectionCount, "the key filter's offset assumes \(sectionCount) sections")
        var file = BinaryEncoder(capacity: headerSize + sections.reduce(0) { $0 + $1.2.count + sectionEntrySize })
        file.append(littleEndian: magic)
        file.append(littleEndian: version)
        file.append(littleEndian: UInt16(0))
        file.append(littleEndian: baseSeq)
        file.append(littleEndian: endSeq)
        file.append(littleEndian: segmentLength)
        file.append(littleEndian: UInt32(sections.count))
        while file.count < 60 { file.append(0) }
        file.append(littleEndian: CRC32C.checksum(file.bytes))
        var offset = UInt64(headerSize + sections.count * sectionEntrySize)
        for (kind, count, bytes) in sections {
            file.append(littleEndian: kind)
            file.append(littleEndian: UInt32(count))
            file.append(littleEndian: offset)
            file.append(littleEndian: UInt64(bytes.count))
            let checked = checkedLengths[kind] ?? bytes.count
            file.append(littleEndian: CRC32C.checksum(Array(bytes[..<checked])))
            file.append(littleEndian: UInt32(0))
            offset += UInt64(bytes.count)
        }
        for (_, _, bytes) in sections { file.bytes.append(contentsOf: bytes) }
        return file.bytes
    }

    /// One kind's postings section and its keys for the filter.
    private struct EncodedKind: Sendable {
        var kind: IndexKind
        var keys: Int
        var bytes: [UInt8]
        var filterKeys: [UInt64]
    }

    /// Every kind's postings section, in kind order (nil for a kind whose section would pass 4 GiB), encoded side
    /// by side on the cores there are: each kind's sort and encoding is independent, and a clean close waits for
    /// the active segment's file (a tenth of a second per million records, one kind after another).
    private static func encodeKinds(_ index: SegmentIndex, baseSeq: UInt64) throws(MappedSegmentIndex.Invalid)
        -> [EncodedKind?]
    {
        let kinds = IndexKind.allCases
        let results = Mutex([Result<EncodedKind?, MappedSegmentIndex.Invalid>?](repeating: nil, count: kinds.count))
        DispatchQueue.concurrentPerform(iterations: kinds.count) { position in
            let kind = kinds[kinds.index(kinds.startIndex, offsetBy: position)]
            let result = Result { () throws(MappedSegmentIndex.Invalid) -> EncodedKind? in
                let stored = try index.storedPostings(kind)
                guard let postings = encodePostings(stored, baseSeq: baseSeq) else { return nil }
                var filterKeys: [UInt64] = []
                filterKeys.reserveCapacity(postings.keys)
                var previous: UInt32?
                for (hash, _) in stored where hash != previous {
                    previous = hash
                    filterKeys.append(KeyFilterSection.key(kind.rawValue, storedHash: hash))
                }
                return EncodedKind(kind: kind, keys: postings.keys, bytes: postings.bytes, filterKeys: filterKeys)
            }
            results.withLock { $0[position] = result }
        }
        return try results.withLock { $0 }.map { result throws(MappedSegmentIndex.Invalid) in try result!.get() }
    }

    /// Number of blocks of a postings section with `keys` keys.
    static func blockCount(keys: Int) -> Int { (keys + blockKeys - 1) / blockKeys }

    /// The key hash as stored in a postings directory: its high 32 bits. Two keys that share them share a
    /// posting list; lookups filter candidates against the records, as they do for full-hash collisions.
    static func storedHash(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) }

    /// One postings section: a block table (see the layout above), the directory (stored hash u32, byte offset
    /// u32 into the lists) sorted by hash, then each key's ascending sequence numbers as varints — the first
    /// relative to the segment's base, the rest as deltas. `postings` must be sorted by (hash, seq) without
    /// duplicates.
    ///
    /// Written through pointers into buffers sized up front (a varint is at most 10 bytes): appending each
    /// integer to a growing array cost more than the rest of persisting an index.
    private static func encodePostings(_ postings: [(UInt32, UInt64)], baseSeq: UInt64) -> (keys: Int, bytes: [UInt8])?
    {
        var hashes: [UInt32] = []
        var offsets: [Int] = []
        let lists = [UInt8](unsafeUninitializedCapacity: postings.count * Varint.maximumSize) { buffer, count in
            var position = 0
            var previous: (hash: UInt32, seq: UInt64)?
            for (hash, seq) in postings {
                let value: UInt64
                if let previous, previous.hash == hash {
                    value = seq - previous.seq
                } else {
                    hashes.append(hash)
                    offsets.append(position)
                    value = seq - baseSeq
                }
                position += Varint.write(value, to: UnsafeMutableRawPointer(buffer.baseAddress! + position))
                previous = (hash, seq)
            }
            count = position
        }
        guard lists.count <= Int(UInt32.max) else { return nil }
        let keys = hashes.count
        let blockCount = blockCount(keys: keys)
        let directoryStart = blockCount * blockEntrySize
        let listsStart = directoryStart + keys * 8
        let bytes = [UInt8](unsafeUninitializedCapacity: listsStart + lists.count) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            lists.withUnsafeBytes { source in
                guard let from = source.baseAddress, let to = raw.baseAddress else { return }
                (to + listsStart).copyMemory(from: from, byteCount: source.count)
            }
            for key in 0..<keys {
                raw.storeBytes(of: hashes[key].littleEndian, toByteOffset: directoryStart + key * 8, as: UInt32.self)
                raw.storeBytes(
                    of: UInt32(offsets[key]).littleEndian, toByteOffset: directoryStart + key * 8 + 4, as: UInt32.self)
            }
            for block in 0..<blockCount {
                let first = block * blockKeys
                let end = min(keys, first + blockKeys)
                let listStart = offsets[first]
                let listEnd = end < keys ? offsets[end] : lists.count
                let entries = UnsafeRawBufferPointer(
                    rebasing: raw[directoryStart + first * 8..<directoryStart + end * 8])
                let blockLists = UnsafeRawBufferPointer(rebasing: raw[listsStart + listStart..<listsStart + listEnd])
                let checksum = CRC32C.checksum(blockLists, seed: CRC32C.checksum(entries))
                let entry = block * blockEntrySize
                raw.storeBytes(of: hashes[first].littleEndian, toByteOffset: entry, as: UInt32.self)
                raw.storeBytes(of: UInt32(listStart).littleEndian, toByteOffset: entry + 4, as: UInt32.self)
                raw.storeBytes(of: checksum.littleEndian, toByteOffset: entry + 8, as: UInt32.self)
            }
            count = listsStart + lists.count
        }
        return (keys, bytes)
    }

    /// Writes an index file atomically (see ``LogDirectory/replaceFile(_:with:)``).
    static func write(_ bytes: [UInt8], baseSeq: UInt64, in directory: LogDirectory) throws(LogError) {
        try directory.replaceFile(name(baseSeq: baseSeq), with: bytes)
    }
}
