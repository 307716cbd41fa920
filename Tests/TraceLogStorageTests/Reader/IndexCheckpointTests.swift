import Foundation
import Testing

@testable import TraceLogStorage

/// The last segment's index checkpoint: opening maps it and scans only what came after, and a checkpoint that
/// no longer matches the segment is never trusted.
@Suite struct IndexCheckpointTests {
    private static let oneSegment = LogTestSupport.smallOptions(segmentMaxBytes: 64 << 20)

    /// Appends `count` numbered records from `first` with a fresh writer, closes it, and checkpoints.
    private func appendAndCheckpoint(
        _ directory: TemporaryDirectory, count: Int, from first: Int, options: LogOptions = oneSegment
    ) async throws {
        let writer = try LogWriter.open(directory: directory.path, options: options)
        try await LogTestSupport.append(writer, count: count, perAppend: 7, startingAt: first)
        try writer.close()
        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
    }

    /// Every execution lookup answers exactly what a full scan says, and `verify` finds nothing wrong.
    private func expectLookupsMatchScan(_ directory: TemporaryDirectory, keys: [Int]) throws {
        let all = try LogTestSupport.readAll(directory.path)
        let reader = try LogReader(directory: directory.path)
        for key in keys {
            let expected = all.filter {
                if case .executionAttempt(let attempt) = $0.record.body { return attempt.id == "ex-\(key)" }
                return false
            }
            #expect(try reader.records(.execution, key: "ex-\(key)").map(\.seq) == expected.map(\.seq), "ex-\(key)")
        }
        #expect(try reader.verify().problems == [])
    }

    private func lastIndex(_ directory: TemporaryDirectory) throws -> SegmentIndex? {
        let reader = try LogReader(directory: directory.path)
        return reader.segments.withLock { $0.last }?.state.withLock { $0.index }
    }

    @Test func openingMapsTheCheckpointAndIndexesOnlyTheNewTail() async throws {
        let directory = TemporaryDirectory()
        try await appendAndCheckpoint(directory, count: 300, from: 0)
        guard case .mapped = try lastIndex(directory) else {
            Issue.record("a checkpoint covering the whole segment is mapped as is")
            return
        }
        // A later writer appends to the same segment; the checkpoint covers a prefix of it.
        let writer = try LogWriter.open(directory: directory.path, options: Self.oneSegment)
        try await LogTestSupport.append(writer, count: 200, startingAt: 300)
        try writer.close()
        guard case .layered(let prefix, _) = try lastIndex(directory) else {
            Issue.record("the checkpoint is used for the prefix it covers")
            return
        }
        #expect(prefix.endSeq == 300)
        #expect(try LogReader(directory: directory.path).endSeq == 500)
        try expectLookupsMatchScan(directory, keys: [0, 1, 150, 299, 300, 301, 499, 777])
        // Checkpointing again writes one index for the whole segment.
        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
        guard case .mapped(let whole) = try lastIndex(directory) else {
            Issue.record("a new checkpoint covers the whole segment")
            return
        }
        #expect(whole.endSeq == 500)
    }

    @Test func aCheckpointDescribingBytesThatWereReplacedIsNotTrusted() async throws {
        let directory = TemporaryDirectory()
        try await appendAndCheckpoint(directory, count: 300, from: 0)
        // Lose the end of the segment (as a crash before a sync could), then write different records there.
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let length = try LogTestSupport.fileSize(segment)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment))
        try handle.truncate(atOffset: UInt64(length * 2 / 3))
        try handle.close()
        let writer = try LogWriter.open(directory: directory.path, options: Self.oneSegment)
        try await LogTestSupport.append(writer, count: 400, startingAt: 5000)
        try writer.close()
        #expect(try LogTestSupport.fileSize(segment) > length, "the new records reach past the checkpoint")
        guard case .memory = try lastIndex(directory) else {
            Issue.record("a stale checkpoint is ignored and the segment scanned")
            return
        }
        try expectLookupsMatchScan(directory, keys: [0, 150, 250, 299, 5000, 5200, 5399])
    }

    @Test func aCheckpointLongerThanTheSegmentIsNotTrusted() async throws {
        let directory = TemporaryDirectory()
        try await appendAndCheckpoint(directory, count: 300, from: 0)
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment))
        try handle.truncate(atOffset: UInt64(try LogTestSupport.fileSize(segment) - 100))
        try handle.close()
        guard case .memory = try lastIndex(directory) else {
            Issue.record("a checkpoint covering bytes that are gone is ignored")
            return
        }
        let reader = try LogReader(directory: directory.path)
        #expect(reader.endSeq < 300)
        #expect(try reader.records(.execution, key: "ex-299").isEmpty)
    }

    @Test func aCheckpointedSegmentThatIsLaterSealedGetsItsWholeIndex() async throws {
        let directory = TemporaryDirectory()
        let options = LogTestSupport.smallOptions(segmentMaxBytes: 6 << 10)
        try await appendAndCheckpoint(directory, count: 40, from: 0, options: options)
        let writer = try LogWriter.open(directory: directory.path, options: options)
        try await LogTestSupport.append(writer, count: 600, startingAt: 40)
        try writer.close()
        let reader = try LogReader(directory: directory.path, persistsIndexes: true)
        #expect(reader.segmentNames.count >= 3, "the checkpointed segment was sealed and others followed")
        try expectLookupsMatchScan(directory, keys: [0, 39, 40, 41, 300, 639])
        _ = try reader.loadedSegments()
        let first = try #require(reader.segments.withLock { $0.first })
        // Loading indexed the rest after the checkpoint, saved the whole index, and reads it from that file since.
        guard case .mapped(let whole) = first.state.withLock({ $0.index }) else {
            Issue.record("the sealed segment's whole index is read from its rewritten file")
            return
        }
        #expect(whole.endSeq == first.endSeq)
        let rewritten = try MappedSegmentIndex(
            file: try FileIO(faults: nil).open(directory.file(SegmentIndexFile.name(baseSeq: 0)), flags: O_RDONLY),
            expectedBaseSeq: 0,
            segmentSize: try LogTestSupport.fileSize(directory.file(SegmentName.segment(baseSeq: 0))))
        #expect(rewritten.endSeq == first.endSeq, "the index file now covers the whole sealed segment")
    }

    @Test func aWriterReopeningACheckpointedSegmentCutsATornTailAfterIt() async throws {
        let directory = TemporaryDirectory()
        try await appendAndCheckpoint(directory, count: 300, from: 0)
        var writer = try LogWriter.open(directory: directory.path, options: Self.oneSegment)
        try await LogTestSupport.append(writer, count: 50, startingAt: 300)
        try writer.close()
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let validLength = try LogTestSupport.fileSize(segment)
        try LogTestSupport.appendBytes(segment, Array(repeating: 0x5A, count: 333))  // a torn write
        writer = try LogWriter.open(directory: directory.path, options: Self.oneSegment)
        #expect(writer.recoveryReport.truncatedTail?.offset == validLength)
        #expect(writer.endSeq == 350)
        try await LogTestSupport.append(writer, count: 20, startingAt: 350)
        try writer.close()
        let all = try LogTestSupport.readAll(directory.path)
        #expect(all.map(\.seq) == Array(0..<370))
        try expectLookupsMatchScan(directory, keys: [0, 299, 300, 349, 350, 369])
    }
}
