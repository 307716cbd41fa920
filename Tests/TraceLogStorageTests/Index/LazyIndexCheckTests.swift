import Foundation
import Testing

@testable import TraceLogStorage

/// Loading an index file checks only its small parts; a postings block table is checked by the first lookup of
/// its kind, and a block (postings, trace starts, batches) by the lookup that reads it. Damage found that late must still change no answer: the index is
/// rebuilt from the segment, and `verify` names the file and the block.
@Suite struct LazyIndexCheckTests {
    /// Offset, entry count and length of a section of the index file at `path`.
    private static func section(_ kind: UInt32, in path: String) throws -> (offset: Int, count: Int, length: Int) {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try file.withUnsafeBytes { raw in
            let sections = Int(raw.loadLittleEndian(at: 32, as: UInt32.self))
            for index in 0..<sections {
                let entry = SegmentIndexFile.headerSize + index * SegmentIndexFile.sectionEntrySize
                guard raw.loadLittleEndian(at: entry, as: UInt32.self) == kind else { continue }
                return (
                    Int(raw.loadLittleEndian(at: entry + 8, as: UInt64.self)),
                    Int(raw.loadLittleEndian(at: entry + 4, as: UInt32.self)),
                    Int(raw.loadLittleEndian(at: entry + 16, as: UInt64.self))
                )
            }
            throw LogError.invalidArgument("no section \(kind)")
        }
    }

    /// Flips a bit in directory entry `entry` of the execution postings (inside block `entry / 128`).
    private static func damageExecutionDirectory(_ path: String, entry: Int) throws {
        let execution = try section(UInt32(IndexKind.execution.rawValue), in: path)
        #expect(execution.count > 3 * SegmentIndexFile.blockKeys, "several blocks")
        let directory =
            execution.offset + SegmentIndexFile.blockCount(keys: execution.count) * SegmentIndexFile.blockEntrySize
        try LogTestSupport.flipBit(path, at: Int64(directory + entry * 8 + 1))
    }

    private static func executionAnswers(_ reader: LogReader) throws -> [[UInt64]] {
        try (0..<1005).map { try reader.records(.execution, key: "ex-\($0)").map(\.seq) }
    }

    private static func rebuiltBecause(_ reader: LogReader) throws -> String? {
        try reader.loadedSegments().first?.state.withLock { $0.rebuiltBecause }
    }

    @Test func aDamagedBlockIsFoundByTheLookupThatReadsItAndEveryAnswerStaysTheSame() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        let expected = try Self.executionAnswers(LogReader(directory: directory.path))
        try Self.damageExecutionDirectory(path, entry: 2 * SegmentIndexFile.blockKeys + 5)

        let reader = try LogReader(directory: directory.path)
        // Keys of block 0 are answered from the mapped file, which is not rejected for damage elsewhere.
        let secondBlock = try Self.secondBlockFirstHash(path)
        let firstBlockKeys = (0..<1000).filter { number in
            SegmentIndexFile.storedHash(KeyHash.hash(.execution, "ex-\(number)")) < secondBlock
        }
        #expect(!firstBlockKeys.isEmpty)
        for number in firstBlockKeys {
            #expect(try reader.records(.execution, key: "ex-\(number)").map(\.seq) == expected[number])
        }
        #expect(try Self.rebuiltBecause(reader) == nil, "no damage read yet")
        #expect(try Self.executionAnswers(reader) == expected)
        let reason = try #require(try Self.rebuiltBecause(reader))
        #expect(reason.contains("execution postings block 2 checksum mismatch"), "\(reason)")
        let report = try reader.verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1 && report.rebuiltIndexes[0].contains("block 2"), "\(report)")
    }

    /// The first stored hash of execution block 1 — keys below it are in block 0 — read from the block table.
    private static func secondBlockFirstHash(_ path: String) throws -> UInt32 {
        let execution = try section(UInt32(IndexKind.execution.rawValue), in: path)
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return file.withUnsafeBytes { $0.loadLittleEndian(at: execution.offset + 12, as: UInt32.self) }
    }

    @Test func verifyChecksEveryBlockWithoutAPriorLookup() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        try Self.damageExecutionDirectory(path, entry: 3 * SegmentIndexFile.blockKeys)
        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1 && report.rebuiltIndexes[0].contains("block 3"), "\(report)")
    }

    @Test func aDamagedTraceStartBlockIsFoundByTheLookupThatReadsIt() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        let expected = try LogReader(directory: directory.path).traceStarts()
        #expect(expected.count == 100)
        let starts = try Self.section(SegmentIndexFile.traceStartsSection, in: path)
        try LogTestSupport.flipBit(path, at: Int64(starts.offset + starts.length / 2))

        let reader = try LogReader(directory: directory.path)
        #expect(try reader.records(.execution, key: "ex-9").map(\.seq) == [109])
        #expect(try Self.rebuiltBecause(reader) == nil, "a lookup does not read the trace-start table")
        #expect(try reader.traceStarts() == expected)
        #expect(try Self.rebuiltBecause(reader)?.contains("trace-start block 0 checksum mismatch") == true)
    }

    @Test func aReaderThatPersistsIndexesWritesTheFileAgain() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        let expected = try Self.executionAnswers(LogReader(directory: directory.path))
        try Self.damageExecutionDirectory(path, entry: 1)
        #expect(try Self.executionAnswers(LogReader(directory: directory.path, persistsIndexes: true)) == expected)
        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean && report.rebuiltIndexes.isEmpty, "\(report)")
    }

    @Test func aDamagedBlockTableIsFoundByTheFirstLookupOfItsKind() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        let execution = try Self.section(UInt32(IndexKind.execution.rawValue), in: path)
        try LogTestSupport.flipBit(path, at: Int64(execution.offset + 13))
        let reader = try LogReader(directory: directory.path)
        #expect(try reader.records(inTrace: TraceID(high: 1, low: 3)).count == 11)
        #expect(try Self.rebuiltBecause(reader) == nil, "a trace lookup does not read the execution postings")
        #expect(try reader.records(.execution, key: "ex-500").map(\.seq) == [600])
        let reason = try #require(try Self.rebuiltBecause(reader))
        #expect(reason.contains("section 3 checksum mismatch"), "\(reason)")
    }

    @Test func aVersionThreeFileIsRebuiltAndRewrittenInTheCurrentVersion() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        file[4] = 3
        let crc = CRC32C.checksum(Array(file[0..<60]))
        file.replaceSubrange(60..<64, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        try Data(file).write(to: URL(fileURLWithPath: path))

        let writerSide = try LogReader(directory: directory.path, persistsIndexes: true)
        #expect(try writerSide.records(.execution, key: "ex-500").map(\.seq) == [600])
        #expect(try Self.rebuiltBecause(writerSide)?.contains("unsupported index version") == true)
        let rewritten = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(rewritten[4] == UInt8(SegmentIndexFile.version) && SegmentIndexFile.version == 6)
        #expect(try LogReader(directory: directory.path).verify().rebuiltIndexes.isEmpty)
    }
}
