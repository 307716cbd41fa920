import Foundation
import Testing

@testable import TraceLogStorage

/// The key filter of index format v6: a lookup reads only the segments whose filter passes its key, and a
/// damaged filter is found, rebuilt from the segment, and named by `verify`, without changing an answer.
@Suite struct KeyFilterSectionTests {
    /// A log of several sealed segments with index files (1,200 numbered execution records, 10 per trace), and
    /// an active one.
    private static func segmentedLog(in directory: TemporaryDirectory) throws {
        try LogTestSupport.appendNumberedInSmallSegments(directory, 0..<1200)
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
    }

    private static func mapped(_ segment: ReaderSegment) -> MappedSegmentIndex? {
        segment.state.withLock { state in
            if case .mapped(let mapped) = state.index { return mapped }
            return nil
        }
    }

    private static func rebuiltBecause(_ reader: LogReader, segment: Int = 0) throws -> String? {
        try reader.loadedSegments()[segment].state.withLock { $0.rebuiltBecause }
    }

    /// The key filter section's (offset, length) in an index file.
    private static func filterSection(_ path: String) throws -> (offset: Int, length: Int) {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try file.withUnsafeBytes { raw in
            for index in 0..<Int(raw.loadLittleEndian(at: 32, as: UInt32.self)) {
                let entry = SegmentIndexFile.headerSize + index * SegmentIndexFile.sectionEntrySize
                guard raw.loadLittleEndian(at: entry, as: UInt32.self) == KeyFilterSection.kind else { continue }
                return (
                    Int(raw.loadLittleEndian(at: entry + 8, as: UInt64.self)),
                    Int(raw.loadLittleEndian(at: entry + 16, as: UInt64.self))
                )
            }
            throw LogError.invalidArgument("no key filter section")
        }
    }

    /// The byte length of a filter section's filter blocks.
    private static func arrayLength(_ path: String, _ filter: (offset: Int, length: Int)) throws -> Int {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))).withUnsafeBytes { raw in
            Int(raw.loadLittleEndian(at: filter.offset, as: UInt32.self)) * BlockedBloomFilter.blockBytes
        }
    }

    @Test func aLookupReadsOnlyTheSegmentsThatCanHoldItsKey() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments()
        #expect(segments.count >= 4, "\(segments.count) segments")
        let sealed = segments.dropLast().compactMap(Self.mapped)
        #expect(sealed.count == segments.count - 1, "every sealed segment has a mapped index file")

        #expect(try reader.records(.execution, key: "ex-3").map(\.seq) == [3])
        #expect(try reader.records(inTrace: TraceID(high: 1, low: 1)).count == 10)
        for (position, index) in sealed.enumerated() {
            let (postingsTables, batchTable) = index.verified.withLock { ($0.postingsTables, $0.lastBatch) }
            if position == 0 {
                #expect(postingsTables != 0 && batchTable != nil, "the segment that holds the keys is read")
            } else {
                // The filter of a segment without the key answers alone (about 0.5% odds of a false positive).
                #expect(postingsTables == 0, "segment \(position): postings not read")
                #expect(batchTable == nil, "segment \(position): batch table not read")
            }
        }
    }

    @Test func keysThatAreNowhereRarelyPassAFilter() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let reader = try LogReader(directory: directory.path)
        for number in 0..<50 {
            #expect(try reader.records(.execution, key: "absent-\(number)").isEmpty)
            #expect(try reader.traceID(ofEntity: EntityRef(type: .execution, id: "absent-\(number)")) == nil)
        }
        let sealed = try reader.loadedSegments().dropLast().compactMap(Self.mapped)
        var passed = 0
        var probes = 0
        for index in sealed {
            for number in 0..<5000 {
                probes += 1
                if try index.mayContain(.execution, hash: KeyHash.hash(.execution, "absent-\(number)")) { passed += 1 }
            }
        }
        // About 0.5% of the probes, give or take; 1% would mean a broken filter.
        #expect(Double(passed) / Double(probes) < 0.01, "\(passed) of \(probes) probes passed")
    }

    @Test func aDamagedFilterBlockIsRebuiltAndNamedAndNoAnswerChanges() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let expected = try (0..<1200).map {
            try LogReader(directory: directory.path).records(.execution, key: "ex-\($0)")
        }
        .map { $0.map(\.seq) }
        let path = directory.file(SegmentIndexFile.name(baseSeq: 0))
        let filter = try Self.filterSection(path)
        let arrayLength = try Self.arrayLength(path, filter)
        let array = KeyFilterSection.arrayOffset(sectionOffset: filter.offset, arrayLength: arrayLength)
        #expect(array % 4096 == 0 && array + arrayLength == filter.offset + filter.length)
        // Every filter byte damaged: whichever page a lookup reads fails its checksum.
        for offset in stride(from: 0, to: arrayLength, by: 97) {
            try LogTestSupport.flipBit(path, at: Int64(array + offset))
        }
        let reader = try LogReader(directory: directory.path)
        #expect(try (0..<1200).map { try reader.records(.execution, key: "ex-\($0)").map(\.seq) } == expected)
        let reason = try #require(try Self.rebuiltBecause(reader))
        #expect(reason.contains("key filter block 0 checksum mismatch (index file offset"), "\(reason)")

        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1, "\(report)")
        #expect(report.rebuiltIndexes[0].contains(SegmentIndexFile.name(baseSeq: 0)), "\(report)")
        #expect(report.rebuiltIndexes[0].contains("key filter block 0"), "\(report)")
    }

    @Test func verifyFindsAFilterThatMissesAKeyEvenWithSoundChecksums() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let path = directory.file(SegmentIndexFile.name(baseSeq: 0))
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let filter = try Self.filterSection(path)
        let arrayLength = try Self.arrayLength(path, filter)
        let blockTable = filter.offset + KeyFilterSection.headerSize
        let blocks = KeyFilterSection.blockCount(arrayLength: arrayLength)
        let array = KeyFilterSection.arrayOffset(sectionOffset: filter.offset, arrayLength: arrayLength)
        #expect(array + arrayLength == filter.offset + filter.length)
        // Filter blocks all zero, with page checksums to match: a filter that passes its checks but not the keys.
        for offset in array..<array + arrayLength { file[offset] = 0 }
        for block in 0..<blocks {
            let range = array + block * 4096..<min(array + arrayLength, array + (block + 1) * 4096)
            let crc = CRC32C.checksum(Array(file[range]))
            file.replaceSubrange(
                blockTable + block * 4..<blockTable + block * 4 + 4,
                with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        }
        let entry = try #require(LogTestSupport.sectionEntry(KeyFilterSection.kind, in: file))
        let sectionCRC = CRC32C.checksum(Array(file[filter.offset..<blockTable + blocks * 4]))
        file.replaceSubrange(entry + 24..<entry + 28, with: withUnsafeBytes(of: sectionCRC.littleEndian) { Array($0) })
        try Data(file).write(to: URL(fileURLWithPath: path))

        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1, "\(report)")
        #expect(report.rebuiltIndexes.first?.contains("key filter misses") == true, "\(report)")
    }

    @Test(arguments: [4, 5])
    func anOlderVersionIsRebuiltAndRewrittenWithTheCurrentFilter(version: UInt8) throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let path = directory.file(SegmentIndexFile.name(baseSeq: 0))
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        file[4] = version
        let crc = CRC32C.checksum(Array(file[0..<60]))
        file.replaceSubrange(60..<64, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        try Data(file).write(to: URL(fileURLWithPath: path))

        let writerSide = try LogReader(directory: directory.path, persistsIndexes: true)
        #expect(try writerSide.records(.execution, key: "ex-3").map(\.seq) == [3])
        #expect(try Self.rebuiltBecause(writerSide)?.contains("unsupported index version") == true)
        let rewritten = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(rewritten[4] == 6 && SegmentIndexFile.version == 6)
        #expect(try Self.filterSection(path).length > KeyFilterSection.headerSize)
        #expect(try LogReader(directory: directory.path).verify().rebuiltIndexes.isEmpty)
    }
}
