import Foundation
import Testing

@testable import TraceLogStorage

@Suite struct RetentionTests {
    @Test func deletesWholeOldSegmentsOnlyAndKeepsTheLogContiguous() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        let records = try await LogTestSupport.append(writer, count: 300, perAppend: 5)
        let segments = try LogTestSupport.batches(directory.path)
        #expect(segments.count >= 4)
        // Cut inside the third segment: the first two go, the third stays (it has newer records).
        let third = segments[2].batches
        let cutoff = Timestamp(microseconds: third[third.count / 2].maxTime)
        let result = try writer.deleteSegments(olderThan: cutoff)
        #expect(result.deletedSegments == [segments[0].segment, segments[1].segment])
        #expect(result.startSeq == third.first!.baseSeq)
        #expect(result.deletedRecords == third.first!.baseSeq)
        // Everything after the cut is intact, and appending goes on.
        let more = try await LogTestSupport.append(writer, count: 5, startingAt: 300)
        let nothingMore = try writer.deleteSegments(olderThan: Timestamp(microseconds: 0))
        #expect(nothingMore.deletedSegments.isEmpty)
        let everything = try writer.deleteSegments(olderThan: Timestamp(microseconds: .max))
        #expect(!everything.deletedSegments.isEmpty)
        try writer.close()
        let reader = try LogReader(directory: directory.path)
        let stored = try LogTestSupport.readAll(directory.path)
        #expect(stored.first?.seq == reader.startSeq)
        #expect(stored.map(\.record) == Array((records + more)[Int(reader.startSeq)...]))
        #expect(reader.segmentNames.count == 1, "every sealed segment went; the active one never does")
        #expect(try reader.verify().isClean)
    }

    @Test func anIndexFileLeftWithoutItsSegmentIsRemovedOnOpen() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        try await LogTestSupport.append(writer, count: 10)
        try writer.close()
        let orphan = directory.file(SegmentIndexFile.name(baseSeq: 12345))
        _ = FileManager.default.createFile(atPath: orphan, contents: Data([1, 2, 3]))
        let reopened = try LogWriter.open(directory: directory.path)
        #expect(reopened.recoveryReport.removedTemporaryFiles == [SegmentIndexFile.name(baseSeq: 12345)])
        try reopened.close()
        #expect(!FileManager.default.fileExists(atPath: orphan))
    }
}
