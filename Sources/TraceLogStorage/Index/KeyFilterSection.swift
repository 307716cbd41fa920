/// The key filter section of an index file (kind 18): a ``BlockedBloomFilter`` of every key the segment's
/// postings hold, checked before the postings so that a lookup skips, after one page read, each segment that
/// cannot hold its key.
///
/// A filter key is the index kind and the key's stored hash (the high 32 bits of its key hash, what the postings
/// directory holds), so the filter is a function of the postings alone: it can be rebuilt from an index in any
/// form, and a key it passes is exactly one the postings directory may hold. An absent key passes with
/// probability about 0.5%, plus the 2⁻³² × keys-in-the-segment chance that another key of the segment shares its
/// stored hash (which the postings cannot tell apart either). Size: 12 bits per key, 4 bytes per 4 KiB page and
/// less than 4 KiB of alignment — about 1.5 bytes per key, 1 byte per record on the benchmark workload.
///
/// ```
/// header (32 bytes): block count u32 (32-byte filter blocks), page size u32 (4096), bits per key u32 (12, what
///                    the builder provisioned; informative), reserved u32 × 5
/// page table:        CRC32C u32 per 4096-byte page of the filter blocks (the last page may be shorter)
/// padding:           zero bytes up to the next file offset that is a multiple of 4096
/// filter blocks:     block count × 32 bytes (see ``BlockedBloomFilter``)
/// ```
/// The filter blocks start on a 4 KiB boundary of the file, so each checksummed page is one page of the mapping
/// and a filter block never straddles two: a query reads and checks exactly one page. The section table's
/// checksum covers the header and the page table (not the padding); each page is checked the first time a query
/// reads it (once per mapping).
enum KeyFilterSection {
    static let kind: UInt32 = 18
    static let headerSize = 32
    /// Bytes per checksummed page of filter blocks, and the file alignment of the first.
    static let blockSize = 4096

    /// The filter key of a (kind, stored hash) pair, as the postings directory stores it.
    @inline(__always)
    static func key(_ kind: UInt8, storedHash: UInt32) -> UInt64 { UInt64(kind) << 32 | UInt64(storedHash) }

    /// The filter key of a lookup.
    @inline(__always)
    static func key(_ kind: IndexKind, hash: UInt64) -> UInt64 {
        key(kind.rawValue, storedHash: SegmentIndexFile.storedHash(hash))
    }

    static func blockCount(arrayLength: Int) -> Int { (arrayLength + blockSize - 1) / blockSize }

    /// The file offset where a section starting at `sectionOffset` puts its filter blocks, for a filter whose
    /// blocks take `arrayLength` bytes.
    static func arrayOffset(sectionOffset: Int, arrayLength: Int) -> Int {
        let tableEnd = sectionOffset + headerSize + blockCount(arrayLength: arrayLength) * 4
        return (tableEnd + blockSize - 1) / blockSize * blockSize
    }

    /// The encoded section for `filter`, to be written at file offset `sectionOffset`, and the length its section
    /// checksum covers (header and page table).
    static func encode(_ filter: BlockedBloomFilter, sectionOffset: Int) -> (bytes: [UInt8], checkedLength: Int) {
        let blocks = blockCount(arrayLength: filter.bytes.count)
        let arrayStart = arrayOffset(sectionOffset: sectionOffset, arrayLength: filter.bytes.count) - sectionOffset
        var bytes = BinaryEncoder(capacity: arrayStart + filter.bytes.count)
        bytes.append(littleEndian: UInt32(filter.blockCount))
        bytes.append(littleEndian: UInt32(blockSize))
        bytes.append(littleEndian: UInt32(BlockedBloomFilter.bitsPerKey))
        while bytes.count < headerSize { bytes.append(0) }
        filter.bytes.withUnsafeBytes { raw in
            for block in 0..<blocks {
                let range = block * blockSize..<min(raw.count, (block + 1) * blockSize)
                bytes.append(littleEndian: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range])))
            }
        }
        let checked = bytes.count
        while bytes.count < arrayStart { bytes.append(0) }
        bytes.bytes.append(contentsOf: filter.bytes)
        return (bytes.bytes, checked)
    }

    /// Where a mapped filter's parts are (file offsets), checked against the section's length.
    struct Mapped: Sendable {
        var keys = 0
        /// Number of 32-byte filter blocks.
        var filterBlocks = 0
        var blockTable = 0
        /// File offset of the filter blocks (a multiple of 4096).
        var array = 0
        /// Number of checksummed pages.
        var blocks = 0
        var checksum: UInt32 = 0

        var arrayLength: Int { filterBlocks * BlockedBloomFilter.blockBytes }

        var checkedRange: Range<Int> { blockTable - KeyFilterSection.headerSize..<blockTable + blocks * 4 }

        /// The file range of checksummed page `block`.
        func blockRange(_ block: Int) -> Range<Int> {
            let start = array + block * KeyFilterSection.blockSize
            return start..<min(array + arrayLength, start + KeyFilterSection.blockSize)
        }

        /// The filter block a key's hash selects: its file offset, and the checksummed page that holds it.
        func location(_ hash: UInt64) -> (offset: Int, page: Int) {
            let byte = BlockedBloomFilter.block(hash, blockCount: filterBlocks) * BlockedBloomFilter.blockBytes
            return (array + byte, byte / KeyFilterSection.blockSize)
        }
    }

    /// Reads and checks a filter section's header and page table (the part its section checksum covers).
    static func parse(_ raw: UnsafeRawBufferPointer, keys: Int, range: Range<Int>, checksum: UInt32)
        throws(MappedSegmentIndex.Invalid) -> Mapped
    {
        guard range.count >= headerSize else { throw .init(reason: "key filter section has a wrong length") }
        let base = range.lowerBound
        let filterBlocks = Int(raw.loadLittleEndian(at: base, as: UInt32.self))
        guard raw.loadLittleEndian(at: base + 4, as: UInt32.self) == UInt32(blockSize),
            (keys == 0) == (filterBlocks == 0)
        else { throw .init(reason: "key filter section has implausible parameters") }
        var mapped = Mapped(keys: keys, filterBlocks: filterBlocks, checksum: checksum)
        mapped.blocks = blockCount(arrayLength: mapped.arrayLength)
        mapped.blockTable = base + headerSize
        mapped.array = arrayOffset(sectionOffset: base, arrayLength: mapped.arrayLength)
        guard mapped.array + mapped.arrayLength == range.upperBound else {
            throw .init(reason: "key filter section has a wrong length")
        }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[mapped.checkedRange])) == checksum else {
            throw .init(reason: "section \(kind) (key filter) checksum mismatch")
        }
        return mapped
    }
}
