/// The key filter section of an index file (kind 18): a ``BinaryFuseFilter`` of every key the segment's postings
/// hold, checked before the postings so that a lookup skips, after one small read, each segment that cannot hold
/// its key.
///
/// A filter key is the index kind and the key's stored hash (the high 32 bits of its key hash, what the postings
/// directory holds), so the filter is a function of the postings alone: it can be rebuilt from an index in any
/// form, and a key it passes is exactly one the postings directory may hold. An absent key passes with
/// probability 2⁻⁸ (0.39%), plus the 2⁻³² × keys-in-the-segment chance that another key of the segment shares
/// its stored hash (which the postings cannot tell apart either). Size: 9 bits per key plus padding and 4 bytes
/// per 4 KiB block — about 1.13 bytes per key, 0.7 bytes per record on the benchmark workload.
///
/// ```
/// header (32 bytes): seed u64, segment length u32 (a power of two, at most 2^18), segment count u32, block size
///                    u32 (4096), reserved u32 × 3
/// block table:       CRC32C u32 per block of 4096 fingerprint bytes (the last block may be shorter)
/// fingerprints:      (segment count + 2) × segment length bytes
/// ```
/// The section table's checksum covers the header and the block table; each block is checked the first time a
/// query reads it (once per mapping), so a query checks at most three blocks and reads a window of three
/// segments (`3 × segment length` bytes, at most 24 KiB below a million keys per segment).
enum KeyFilterSection {
    static let kind: UInt32 = 18
    static let headerSize = 32
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

    /// The encoded section for `filter`, and the length its section checksum covers (header and block table).
    static func encode(_ filter: BinaryFuseFilter) -> (bytes: [UInt8], checkedLength: Int) {
        let parameters = filter.parameters
        let blocks = blockCount(arrayLength: filter.fingerprints.count)
        var bytes = BinaryEncoder(capacity: headerSize + blocks * 4 + filter.fingerprints.count)
        bytes.append(littleEndian: parameters.seed)
        bytes.append(littleEndian: UInt32(parameters.segmentLength))
        bytes.append(littleEndian: UInt32(parameters.segmentCount))
        bytes.append(littleEndian: UInt32(blockSize))
        while bytes.count < headerSize { bytes.append(0) }
        filter.fingerprints.withUnsafeBytes { raw in
            for block in 0..<blocks {
                let range = block * blockSize..<min(raw.count, (block + 1) * blockSize)
                bytes.append(littleEndian: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[range])))
            }
        }
        let checked = bytes.count
        bytes.bytes.append(contentsOf: filter.fingerprints)
        return (bytes.bytes, checked)
    }

    /// Where a mapped filter's parts are (file offsets), checked against the section's length.
    struct Mapped: Sendable {
        var keys = 0
        var parameters = BinaryFuseFilter.Parameters()
        var blockTable = 0
        var fingerprints = 0
        var blocks = 0
        var checksum: UInt32 = 0

        var checkedRange: Range<Int> { blockTable - KeyFilterSection.headerSize..<fingerprints }

        /// The file range of block `block`.
        func blockRange(_ block: Int) -> Range<Int> {
            let start = fingerprints + block * KeyFilterSection.blockSize
            return start..<min(fingerprints + parameters.arrayLength, start + KeyFilterSection.blockSize)
        }
    }

    /// Reads and checks a filter section's header and block table (the part its section checksum covers).
    static func parse(_ raw: UnsafeRawBufferPointer, keys: Int, range: Range<Int>, checksum: UInt32)
        throws(MappedSegmentIndex.Invalid) -> Mapped
    {
        guard range.count >= headerSize else { throw .init(reason: "key filter section has a wrong length") }
        let base = range.lowerBound
        let segmentLength = Int(raw.loadLittleEndian(at: base + 8, as: UInt32.self))
        let segmentCount = Int(raw.loadLittleEndian(at: base + 12, as: UInt32.self))
        guard raw.loadLittleEndian(at: base + 16, as: UInt32.self) == UInt32(blockSize),
            segmentLength.nonzeroBitCount == 1 || (segmentLength == 0 && segmentCount == 0),
            segmentLength <= 1 << 18, segmentCount <= Int(UInt32.max) / max(segmentLength, 1) - 2,
            keys == 0 || segmentCount > 0
        else { throw .init(reason: "key filter section has implausible parameters") }
        var mapped = Mapped(
            keys: keys,
            parameters: BinaryFuseFilter.Parameters(
                seed: raw.loadLittleEndian(at: base, as: UInt64.self), segmentLength: segmentLength,
                segmentCount: segmentCount),
            checksum: checksum)
        let arrayLength = segmentCount == 0 ? 0 : mapped.parameters.arrayLength
        mapped.blocks = blockCount(arrayLength: arrayLength)
        mapped.blockTable = base + headerSize
        mapped.fingerprints = mapped.blockTable + mapped.blocks * 4
        guard mapped.fingerprints + arrayLength == range.upperBound else {
            throw .init(reason: "key filter section has a wrong length")
        }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[mapped.checkedRange])) == checksum else {
            throw .init(reason: "section \(kind) (key filter) checksum mismatch")
        }
        return mapped
    }
}
