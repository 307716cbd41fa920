import Foundation
import Testing

@testable import TraceLogStorage

/// Injected `open` faults on segment files in a reader: a typed error naming the segment, never a log that
/// silently looks shorter than it is.
@Suite struct ReaderOpenFaultTests {
    @Test(arguments: [EMFILE, EACCES, EIO])
    func aSegmentThatCannotBeOpenedIsATypedErrorNotAnEmptyLog(code: Int32) async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        let records = try await LogTestSupport.append(writer, count: 20)
        try writer.close()
        let faults = FaultInjector()
        faults.fail(.open, with: .error(code))
        #expect { _ = try LogReader(directory: directory.path, faults: faults) } throws: { error in
            FaultTestSupport.isInjected(error, "open", pathSuffix: SegmentName.segment(baseSeq: 0), errno: code)
        }
        try ReaderFaultTests.expectAnswers(try LogReader(directory: directory.path, faults: faults), records)
    }

    @Test func aNewSegmentThatCannotBeOpenedFailsTheRefreshUntilItCan() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        var records = try await LogTestSupport.append(writer, count: 5)
        let faults = FaultInjector()
        let reader = try LogReader(directory: directory.path, faults: faults)
        records += try await LogTestSupport.append(writer, count: 60, startingAt: 5)
        let newSegments = try LogTestSupport.batches(directory.path).count - 1
        #expect(newSegments >= 1)
        // A refresh opens only the new segments, oldest first: fail the newest, the one the writer appends to.
        faults.fail(.open, occurrence: newSegments, with: .error(EMFILE))
        #expect { try reader.refresh() } throws: { error in
            guard case .io(let system) = error as? LogError else { return false }
            return system.injected && system.path.hasSuffix(".tlseg") && system.errno == EMFILE
        }
        #expect(reader.endSeq == 5, "a failed refresh keeps the previous view")
        try reader.refresh()
        try writer.close()
        try ReaderFaultTests.expectAnswers(reader, records)
    }

    /// A log of 200 records in several segments with index files, and its segment names.
    private func segmentedLog() async throws -> (TemporaryDirectory, [Record], [String]) {
        let (directory, records, _) = try await ReaderFaultTests.sealedLog()
        return (directory, records, try LogTestSupport.batches(directory.path).map(\.segment))
    }

    /// Regression: a segment that retention deleted between a reader's directory listing and its `open` (ENOENT)
    /// made opening the reader fail; it must start after the deleted segments instead, contiguous.
    @Test func aSegmentDeletedBetweenListingAndOpeningMovesTheStart() async throws {
        let (directory, records, segments) = try await segmentedLog()
        let faults = FaultInjector()
        faults.fail(.open, occurrence: 2, with: .error(ENOENT))
        let reader = try LogReader(directory: directory.path, faults: faults)
        #expect(reader.segmentNames == Array(segments.dropFirst(2)), "the first segment went with the second")
        let start = Int(reader.startSeq)
        #expect(start > 0)
        var cursor = reader.cursor()
        var seen: [StoredRecord] = []
        while let stored = try cursor.next() { seen.append(stored) }
        #expect(seen.map(\.seq) == Array(UInt64(start)..<UInt64(records.count)))
        #expect(seen.map(\.record) == Array(records[start...]))
        #expect(try reader.verify().isClean)
    }

    @Test func aSegmentDeletedBeforeARefreshOpensItDropsTheOlderOnesTheReaderHeld() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        var records = try await LogTestSupport.append(writer, count: 5)
        let faults = FaultInjector()
        let reader = try LogReader(directory: directory.path, faults: faults)
        while try LogTestSupport.batches(directory.path).count < 3 {
            records += try await LogTestSupport.append(writer, count: 5, startingAt: records.count)
        }
        try writer.close()
        let segments = try LogTestSupport.batches(directory.path)
        faults.fail(.open, occurrence: 1, with: .error(ENOENT))
        try reader.refresh()
        #expect(reader.segmentNames == segments.dropFirst(2).map(\.segment))
        #expect(reader.startSeq == segments[2].batches[0].baseSeq)
        #expect(reader.endSeq == UInt64(records.count))
    }

    /// A trailing segment that vanished (a writer removed it as empty) is skipped; the older ones stay.
    @Test func aVanishedTrailingSegmentIsSkipped() async throws {
        let (directory, records, segments) = try await segmentedLog()
        let faults = FaultInjector()
        faults.fail(.open, occurrence: segments.count, with: .error(ENOENT))
        let reader = try LogReader(directory: directory.path, faults: faults)
        #expect(reader.segmentNames == Array(segments.dropLast()))
        #expect(reader.startSeq == 0)
        var cursor = reader.cursor()
        var count = 0
        while let stored = try cursor.next() {
            #expect(stored.record == records[Int(stored.seq)])
            count += 1
        }
        #expect(count == Int(reader.endSeq) && count < records.count)
    }
}
