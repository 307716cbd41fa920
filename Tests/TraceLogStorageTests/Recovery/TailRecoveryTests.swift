import Foundation
import Testing

@testable import TraceLogStorage

/// Torn, zero-filled and garbage tails are cut back to the last complete batch, and nothing else is lost.
@Suite struct TailRecoveryTests {
    /// Builds a one-segment log of small batches; returns its directory, records and batch table.
    private func makeLog() async throws -> (TemporaryDirectory, [Record], [BatchLocation]) {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        let records = try await LogTestSupport.append(writer, count: 60, perAppend: 4)
        try writer.close()
        let segments = try LogTestSupport.batches(directory.path)
        #expect(segments.count == 1)
        return (directory, records, segments[0].batches)
    }

    @Test func truncationAtEveryByteOfTheLastThreeBatchesReopensAtTheLastCompleteBatch() async throws {
        let (source, records, batches) = try await makeLog()
        #expect(batches.count >= 4)
        let segmentName = SegmentName.segment(baseSeq: 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: source.file(segmentName)))
        let firstOffset = batches[batches.count - 3].offset
        var checked = 0
        for cut in Int(firstOffset)..<original.count {
            let directory = TemporaryDirectory()
            try original.prefix(cut).write(to: URL(fileURLWithPath: directory.file(segmentName)))
            let complete = batches.filter { $0.offset + Int64($0.length) <= Int64(cut) }
            let expectedEnd = complete.last!.endSeq
            let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
            #expect(writer.endSeq == expectedEnd, "cut at \(cut)")
            let torn = Int64(cut) > complete.last!.offset + Int64(complete.last!.length)
            #expect((writer.recoveryReport.truncatedTail != nil) == torn, "cut at \(cut)")
            try writer.close()
            #expect(
                try LogTestSupport.fileSize(directory.file(segmentName)) == complete.last!.offset
                    + Int64(complete.last!.length))
            let stored = try LogTestSupport.readAll(directory.path)
            #expect(stored.map(\.record) == Array(records.prefix(Int(expectedEnd))), "cut at \(cut)")
            checked += 1
        }
        #expect(checked > 300)
    }

    static let junkTails: [(String, [UInt8])] = {
        let zeros = [UInt8](repeating: 0, count: 8192)
        let garbage: [UInt8] = (0..<5000).map { (value: Int) -> UInt8 in UInt8(truncatingIfNeeded: value &* 7919 >> 3) }
        let magic = Array("TLB1".utf8)
        let fakeMagic: [UInt8] = magic + [UInt8](repeating: 0xAB, count: 200) + magic
        return [("zeros", zeros), ("garbage", garbage), ("fake magic", fakeMagic)]
    }()

    @Test(arguments: junkTails)
    func aJunkTailIsCutAndTheLogContinues(name: String, junk: [UInt8]) async throws {
        let (directory, records, batches) = try await makeLog()
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let cleanSize = try LogTestSupport.fileSize(segment)
        try LogTestSupport.appendBytes(segment, junk)
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.recoveryReport.truncatedTail?.offset == cleanSize)
        #expect(writer.recoveryReport.damagedRegions.isEmpty)
        #expect(writer.endSeq == batches.last!.endSeq)
        let more = try await LogTestSupport.append(writer, count: 10, startingAt: records.count)
        try writer.close()
        #expect(try LogTestSupport.readAll(directory.path).map(\.record) == records + more)
    }

    @Test func openingTwiceGivesTheSameResult() async throws {
        let (directory, _, batches) = try await makeLog()
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        try LogTestSupport.appendBytes(segment, [UInt8](repeating: 0x5A, count: 333))
        let first = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        let firstEnd = first.endSeq
        #expect(!first.recoveryReport.isClean)
        try first.close()
        let sizeAfterFirst = try LogTestSupport.fileSize(segment)
        let second = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(second.recoveryReport.isClean)
        #expect(second.endSeq == firstEnd)
        #expect(firstEnd == batches.last!.endSeq)
        try second.close()
        #expect(try LogTestSupport.fileSize(segment) == sizeAfterFirst)
    }

    @Test func strayTemporaryFilesAreRemoved() async throws {
        let (directory, records, _) = try await makeLog()
        _ = FileManager.default.createFile(
            atPath: directory.file(SegmentName.segment(baseSeq: 60) + ".tmp"), contents: Data([1, 2]))
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.recoveryReport.removedTemporaryFiles == [SegmentName.segment(baseSeq: 60) + ".tmp"])
        #expect(writer.endSeq == 60)
        try writer.close()
        #expect(try LogTestSupport.readAll(directory.path).map(\.record) == records)
    }
}
