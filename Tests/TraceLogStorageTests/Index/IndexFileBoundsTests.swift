import Foundation
import Testing

@testable import TraceLogStorage

/// Index files whose section table or batch table holds values that do not fit (found by the index fuzz target,
/// `tools/fuzz/Corpus/index/regression-*.tlidx`): the file must be rejected and the index rebuilt from the
/// segment, not trap while converting the values.
@Suite struct IndexFileBoundsTests {
    /// A log whose first segment is sealed and has an index file; returns the index file's path.
    static func logWithIndexFile(in directory: TemporaryDirectory) throws -> String {
        let path = try LogTestSupport.sealedFirstSegment(
            in: directory, appends: (0..<4).map { SampleRecords.numbered(5, startingAt: $0 * 5) },
            tail: SampleRecords.numbered(5, startingAt: 20))
        #expect(FileManager.default.fileExists(atPath: path))
        return path
    }

    /// Reads the log through the patched index file: the index is rebuilt and every lookup still works.
    static func expectRebuiltAndCorrect(_ directory: TemporaryDirectory) throws {
        let reader = try LogReader(directory: directory.path)
        let report = try reader.verify()
        #expect(report.rebuiltIndexes.count == 1, "\(report)")
        #expect(report.isClean, "\(report)")
        #expect(try reader.records(.execution, key: "ex-7").map(\.seq) == [7])
        #expect(try LogTestSupport.readAll(directory.path).count == 25)
    }

    /// Overwrites `field` of batch-table entry `entry` (default: the last) and fixes the checksums over it (its
    /// block's, in the block table, and the section's, over the block table), so that only the value is wrong.
    /// The table must fit one block.
    static func patchBatchTable(_ path: String, entry index: Int? = nil, field: Int, with bytes: [UInt8]) throws {
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let entry = try #require(LogTestSupport.sectionEntry(SegmentIndexFile.batchesSection, in: file))
        let count = Int(file.withUnsafeBytes { $0.loadLittleEndian(at: entry + 4, as: UInt32.self) })
        let offset = Int(file.withUnsafeBytes { $0.loadLittleEndian(at: entry + 8, as: UInt64.self) })
        let length = Int(file.withUnsafeBytes { $0.loadLittleEndian(at: entry + 16, as: UInt64.self) })
        let size = SegmentIndexFile.batchEntrySize
        let blocks = (count + SegmentIndexFile.batchBlockEntries - 1) / SegmentIndexFile.batchBlockEntries
        #expect(blocks == 1)
        let patched = offset + blocks * BlockedTable.blockTableEntrySize + (index ?? count - 1) * size
        file.replaceSubrange(patched + field..<patched + field + bytes.count, with: bytes)
        let tableEnd = offset + blocks * BlockedTable.blockTableEntrySize
        let lastBlockStart = tableEnd + (blocks - 1) * SegmentIndexFile.batchBlockEntries * size
        let blockCRC = CRC32C.checksum(Array(file[lastBlockStart..<offset + length]))
        let blockCRCAt = tableEnd - BlockedTable.blockTableEntrySize + 8
        file.replaceSubrange(
            blockCRCAt..<blockCRCAt + 4, with: withUnsafeBytes(of: blockCRC.littleEndian) { Array($0) })
        let crc = CRC32C.checksum(Array(file[offset..<tableEnd]))
        file.replaceSubrange(entry + 24..<entry + 28, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    @Test func aSectionOffsetPast2To63IsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        // The high byte of the first section's offset (the damaged list): the section table is outside the header
        // checksum.
        try LogTestSupport.patch(path, at: Int64(SegmentIndexFile.headerSize + 8 + 7), with: [0x80])
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func aSectionLengthPast2To63IsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        try LogTestSupport.patch(path, at: Int64(SegmentIndexFile.headerSize + 16 + 7), with: [0xFF])
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func aBatchLengthPastInt32IsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        try Self.patchBatchTable(path, field: 16, with: [0xFF, 0xFF, 0xFF, 0xFF])
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func aBatchRunningPastTheSegmentIsRejected() throws {
        // 1.7 GB fits an Int32; reading the batch used to allocate all of it (found as a fuzzer timeout,
        // tools/fuzz/Corpus/index/regression-batch-past-segment.tlidx).
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        try Self.patchBatchTable(path, field: 16, with: [0x39, 0x72, 0x52, 0x65])
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func aBatchBeforeTheSegmentHeaderEndsIsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        try Self.patchBatchTable(path, field: 8, with: Array(repeating: 0, count: 8))
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func anIndexCoveringMoreThanTheSegmentIsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        file.replaceSubrange(24..<32, with: withUnsafeBytes(of: Int64(1 << 40).littleEndian) { Array($0) })
        let crc = CRC32C.checksum(Array(file[0..<60]))
        file.replaceSubrange(60..<64, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        try Data(file).write(to: URL(fileURLWithPath: path))
        try Self.expectRebuiltAndCorrect(directory)
    }

    @Test func aBatchSequenceRangePast2To64IsRejected() throws {
        let directory = TemporaryDirectory()
        let path = try Self.logWithIndexFile(in: directory)
        try Self.patchBatchTable(path, field: 0, with: Array(repeating: 0xFF, count: 8))
        try Self.expectRebuiltAndCorrect(directory)
    }
}

/// An index file whose batch table gives a batch another sequence range than the batch has (found by the
/// index fuzz target, `tools/fuzz/Corpus/index/regression-batch-range.tlidx`): lookups took the record's
/// position from the index entry and indexed past the batch's records.
@Suite struct IndexedBatchRangeTests {
    @Test func aBatchThatDoesNotHoldItsIndexedRangeIsReportedNotIndexedPast() throws {
        let directory = TemporaryDirectory()
        let path = try IndexFileBoundsTests.logWithIndexFile(in: directory)
        // The second batch of segment 0 holds seqs 5..<10; its entry now says 5..<9, which still fits between
        // its neighbours in the table.
        try IndexFileBoundsTests.patchBatchTable(
            path, entry: 1, field: 20, with: withUnsafeBytes(of: UInt32(4)) { Array($0) })
        let reader = try LogReader(directory: directory.path)
        #expect(throws: LogError.self) { try reader.record(at: 7) }
        #expect(throws: LogError.self) { try reader.records(.execution, key: "ex-7") }
        #expect(try reader.record(at: 3).record == SampleRecords.numbered(5)[3])
    }

    @Test func batchesWhoseRangesOverlapInTheTableMakeItRebuilt() throws {
        let directory = TemporaryDirectory()
        let path = try IndexFileBoundsTests.logWithIndexFile(in: directory)
        // The last batch of segment 0 holds seqs 15..<20; its entry now says 10..<20, over the one before it.
        try IndexFileBoundsTests.patchBatchTable(path, field: 0, with: withUnsafeBytes(of: UInt64(10)) { Array($0) })
        try IndexFileBoundsTests.patchBatchTable(path, field: 20, with: withUnsafeBytes(of: UInt32(10)) { Array($0) })
        try IndexFileBoundsTests.expectRebuiltAndCorrect(directory)
        #expect(try LogReader(directory: directory.path).record(at: 17).record == SampleRecords.numbered(20)[17])
    }
}
