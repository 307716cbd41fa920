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
/// header (64 bytes): magic "TLIX", version u16 (2), reserved u16, segment base seq u64, segment end seq u64,
///                    segment length u64 (bytes of the segment it covers), section count u32, reserved to 60,
///                    CRC32C of bytes 0..<60 at 60
/// section table:     per section 32 bytes: kind u32, entry count u32, offset u64, length u64, CRC32C u32, reserved
/// sections:          kind 0  batches        48 bytes each: base seq, file offset, length u32, record count u32,
///                                           min time, max time, uncompressed length u32, payload CRC32C u32
///                    kind 1…5 postings      entry count = keys; per key 8 bytes: stored hash u32 (high half of
///                                           the key hash), byte offset u32 into the lists — sorted by hash;
///                                           then the lists: per key, ascending seqs as varints (first minus
///                                           the segment base seq, then deltas)
///                    kind 16 trace starts   40 bytes each: time i64, seq u64, trace id (2 × u64), tag hash u64
///                                           — in sequence order
///                    kind 17 damaged        16 bytes each: offset u64, length u64
/// ```
/// Every section has its own checksum, verified when the file is loaded; a file that fails any check is
/// treated as missing and the index is rebuilt from the segment.
enum SegmentIndexFile {
    static let suffix = ".tlidx"
    static let magic: UInt32 = 0x5849_4C54  // "TLIX"
    static let version: UInt16 = 2
    static let headerSize = 64
    static let sectionEntrySize = 32
    static let batchesSection: UInt32 = 0
    static let traceStartsSection: UInt32 = 16
    static let damagedSection: UInt32 = 17

    static func name(baseSeq: UInt64) -> String { SegmentName.padded(baseSeq) + suffix }

    /// Encodes a whole index file; nil if a postings section would pass 4 GiB (the segment then keeps an
    /// in-memory index).
    static func encode(
        baseSeq: UInt64, endSeq: UInt64, segmentLength: Int64, batches: [BatchLocation], index: SegmentIndex,
        damaged: [DamagedRegion]
    ) -> [UInt8]? {
        var sections: [(UInt32, Int, [UInt8])] = []
        var batchBytes = BinaryEncoder(capacity: batches.count * 48)
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
        sections.append((batchesSection, batches.count, batchBytes.bytes))
        for kind in IndexKind.allCases {
            guard let postings = encodePostings(index.storedPostings(kind), baseSeq: baseSeq) else { return nil }
            sections.append((UInt32(kind.rawValue), postings.keys, postings.bytes))
        }
        var starts = BinaryEncoder(capacity: index.traceStarts.count * 40)
        for entry in index.traceStarts {
            starts.append(littleEndian: entry.time)
            starts.append(littleEndian: entry.seq)
            starts.append(littleEndian: entry.traceID.high)
            starts.append(littleEndian: entry.traceID.low)
            starts.append(littleEndian: entry.tagHash)
        }
        sections.append((traceStartsSection, index.traceStarts.count, starts.bytes))
        var damagedBytes = BinaryEncoder()
        for region in damaged {
            damagedBytes.append(littleEndian: region.offset)
            damagedBytes.append(littleEndian: region.length)
        }
        sections.append((damagedSection, damaged.count, damagedBytes.bytes))

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
            file.append(littleEndian: CRC32C.checksum(bytes))
            file.append(littleEndian: UInt32(0))
            offset += UInt64(bytes.count)
        }
        for (_, _, bytes) in sections { file.bytes.append(contentsOf: bytes) }
        return file.bytes
    }

    /// The key hash as stored in a postings directory: its high 32 bits. Two keys that share them share a
    /// posting list; lookups filter candidates against the records, as they do for full-hash collisions.
    static func storedHash(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) }

    /// One postings section: directory (stored hash u32, byte offset u32 into the lists) sorted by hash, then
    /// each key's ascending sequence numbers as varints — the first relative to the segment's base, the rest
    /// as deltas. `postings` must be sorted by (hash, seq) without duplicates.
    private static func encodePostings(_ postings: [(UInt32, UInt64)], baseSeq: UInt64) -> (keys: Int, bytes: [UInt8])?
    {
        var directory = BinaryEncoder()
        var lists = BinaryEncoder(capacity: postings.count * 2)
        var keys = 0
        var previous: (hash: UInt32, seq: UInt64)?
        for (hash, seq) in postings {
            if previous?.hash != hash {
                guard lists.count <= Int(UInt32.max) else { return nil }
                directory.append(littleEndian: hash)
                directory.append(littleEndian: UInt32(lists.count))
                keys += 1
                lists.appendVarint(seq - baseSeq)
            } else if let previous {
                lists.appendVarint(seq - previous.seq)
            }
            previous = (hash, seq)
        }
        return (keys, directory.bytes + lists.bytes)
    }

    /// Writes an index file atomically: `.tmp`, `fdatasync`, rename, directory `fsync`.
    static func write(_ bytes: [UInt8], baseSeq: UInt64, in directory: LogDirectory) throws(LogError) {
        let final = directory.file(name(baseSeq: baseSeq))
        let temporary = final + SegmentName.temporarySuffix
        try withIOErrors { () throws(SystemError) in
            let file = try directory.io.open(temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try file.write(bytes, at: 0)
            try file.syncData()
            try directory.io.rename(temporary, to: final)
            try directory.io.syncDirectory(directory.path)
        }
    }
}
