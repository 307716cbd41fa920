import Foundation
import Testing

@testable import TraceLogStorage

/// The batch table and the trace-start table are stored in checksummed blocks and searched in the mapping:
/// a lookup verifies and reads one block, a damaged block is found by the lookup that reads it, and the index
/// is then rebuilt from the segment without changing an answer.
@Suite struct BlockedTableTests {
    /// A sealed first segment of 200 five-record batches (4 batch-table blocks); returns the index file's path.
    private static func sealedLog(in directory: TemporaryDirectory) throws -> String {
        try LogTestSupport.sealedFirstSegment(in: directory, fiveRecordAppends: 200)
    }

    /// The batch section's offset in the index file at `path`.
    private static func batchSectionOffset(_ path: String) throws -> Int {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let entry = try #require(LogTestSupport.sectionEntry(SegmentIndexFile.batchesSection, in: file))
        return file.withUnsafeBytes { Int($0.loadLittleEndian(at: entry + 8, as: UInt64.self)) }
    }

    /// The file offset of batch-table entry `index` in a table of 200 entries.
    private static func batchEntryOffset(_ path: String, _ index: Int) throws -> Int {
        let blocks = (200 + SegmentIndexFile.batchBlockEntries - 1) / SegmentIndexFile.batchBlockEntries
        return try batchSectionOffset(path) + blocks * BlockedTable.blockTableEntrySize
            + index * SegmentIndexFile.batchEntrySize
    }

    private static func mappedIndex(_ reader: LogReader) throws -> MappedSegmentIndex? {
        let segment = try #require(try reader.loadedSegments().first)
        return segment.state.withLock { state in
            if case .mapped(let index) = state.index { return index }
            return nil
        }
    }

    private static func rebuiltBecause(_ reader: LogReader) throws -> String? {
        try reader.loadedSegments().first?.state.withLock { $0.rebuiltBecause }
    }

    @Test func aPointLookupVerifiesOnlyTheBlocksItReads() throws {
        let directory = TemporaryDirectory()
        _ = try Self.sealedLog(in: directory)
        let reader = try LogReader(directory: directory.path)
        #expect(try reader.record(at: 352).record == SampleRecords.numbered(1, startingAt: 352)[0])
        let index = try #require(try Self.mappedIndex(reader))
        let verified = index.verified.withLock { $0 }
        // Batch 70 is in block 1 of 4; block 3, the last, was checked with the block table by the first batch lookup.
        #expect(index.verifiedBlocks[MappedSegmentIndex.batchSlot].words == [0b1010])
        #expect(index.verifiedBlocks[MappedSegmentIndex.traceStartSlot].words.allSatisfy { $0 == 0 })
        #expect(verified.postingsTables == 0, "no postings read")
        #expect(!verified.traceStartTable, "the trace-start block table is checked on first use")
        #expect(try reader.records(.execution, key: "ex-999").map(\.seq) == [999])
        let afterLookup = index.verified.withLock { $0 }
        #expect(afterLookup.postingsTables == 1 << IndexKind.execution.rawValue)
        let executionBlocks = index.verifiedBlocks[Int(IndexKind.execution.rawValue)].words
        #expect(executionBlocks.map(\.nonzeroBitCount).reduce(0, +) == 1)
        #expect(index.verifiedBlocks[MappedSegmentIndex.batchSlot].words == [0b1010])
    }

    @Test func aDamagedBatchBlockIsFoundByTheLookupThatReadsItAndNoAnswerChanges() throws {
        let directory = TemporaryDirectory()
        let path = try Self.sealedLog(in: directory)
        let expected = try LogTestSupport.readAll(directory.path)
        // A bit of batch 130's file offset: block 2 (batches 128..<192).
        try LogTestSupport.flipBit(path, at: Int64(try Self.batchEntryOffset(path, 130) + 9))

        let reader = try LogReader(directory: directory.path)
        #expect(try reader.record(at: 12).seq == 12)
        #expect(try Self.rebuiltBecause(reader) == nil, "block 0 is sound")
        #expect(try reader.record(at: 652).record == expected[652].record)
        let reason = try #require(try Self.rebuiltBecause(reader))
        #expect(reason.contains("batch table block 2 checksum mismatch"), "\(reason)")
        #expect(try LogTestSupport.readAll(directory.path) == expected)
        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1 && report.rebuiltIndexes[0].contains("block 2"), "\(report)")
    }

    @Test func aDamagedBatchBlockTableIsFoundByTheFirstBatchLookup() throws {
        let directory = TemporaryDirectory()
        let path = try Self.sealedLog(in: directory)
        try LogTestSupport.flipBit(path, at: Int64(try Self.batchSectionOffset(path) + 17))
        let reader = try LogReader(directory: directory.path)
        #expect(try reader.record(at: 352).record == SampleRecords.numbered(1, startingAt: 352)[0])
        let reason = try #require(try Self.rebuiltBecause(reader))
        #expect(reason.contains("section 0 checksum mismatch"), "\(reason)")
    }

    @Test func theSearchFindsTheLastKeyAtMostTheOneAsked() throws {
        // 150 entries of 8 bytes with keys 10, 20, …, 1500, in blocks of 64.
        var entries = BinaryEncoder()
        for key in 1...150 { entries.append(littleEndian: UInt64(key * 10)) }
        let section = BlockedTable.encode(
            entries: entries.bytes, count: 150, entrySize: 8, keyOffset: 0, blockEntries: 64)
        try section.bytes.withUnsafeBytes { raw in
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<section.checkedLength]))
            let table = try BlockedTable(
                section: 9, count: 150, entrySize: 8, keyOffset: 0, blockEntries: 64, range: 0..<raw.count,
                checksum: checksum)
            try table.checkBlockTable(raw)
            #expect(table.blocks == 3)
            var verifiedBlocks: [Int] = []
            func search(_ key: UInt64) -> Int? {
                table.lastEntry(raw, keyAtMost: key) { block in
                    #expect(table.blockIsSound(raw, block: block))
                    verifiedBlocks.append(block)
                }
            }
            #expect(search(9) == nil)
            #expect(search(10) == 0)
            #expect(search(645) == 63)
            #expect(search(650) == 64)
            #expect(search(1500) == 149)
            #expect(search(.max) == 149)
            #expect(verifiedBlocks == [0, 0, 1, 2, 2])
        }
    }
}
