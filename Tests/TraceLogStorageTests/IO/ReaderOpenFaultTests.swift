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

    /// A log of 250 records in several segments with index files, and its segment names.
    private func segmentedLog() async throws -> (TemporaryDirectory, [Record], [String]) {
        let (directory, records, _) = try await ReaderFaultTests.sealedLog()
        return (directory, records, try LogTestSupport.batches(directory.path).map(\.segment))
    }

    /// Regression: a segment that retention deleted between a reader's directory listing and its `open` (ENOENT)
    /// failed the open of the reader. Such a listing is stale, so the reader lists the directory again. (Here the
    /// file is still there, so the second listing opens it.)
    @Test(arguments: [1, 2, -1])
    func aSegmentThatVanishesAfterTheListingMakesTheReaderListAgain(position: Int) async throws {
        let (directory, records, segments) = try await segmentedLog()
        let faults = FaultInjector()
        let vanishing = position > 0 ? position : segments.count
        faults.fail(.open, occurrence: vanishing, with: .error(ENOENT))
        let reader = try LogReader(directory: directory.path, faults: faults)
        #expect(faults.injections.map(\.path) == [directory.file(segments[vanishing - 1])])
        // Every segment once, the vanished one once more, the last segment's index file (its checkpoint), each
        // sealed segment's index file (mapped at open, ahead of the first lookup), and the filter stack.
        #expect(
            faults.count(of: .open) == segments.count + 2 + (segments.count - 1) + 1,
            "the vanished segment was opened once more")
        #expect(reader.segmentNames == segments)
        try ReaderFaultTests.expectAnswers(reader, records)
    }

    @Test func aRefreshListsAgainWhenASegmentVanishes() async throws {
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
        faults.fail(.open, with: .error(ENOENT))
        try reader.refresh()
        #expect(faults.injections.count == 1)
        #expect(reader.segmentNames == (try LogTestSupport.batches(directory.path).map(\.segment)))
        #expect(reader.endSeq == UInt64(records.count))
        try ReaderFaultTests.expectAnswers(reader, records)
    }

    /// A segment that stays listed but cannot be found fails the open after a bounded number of listings.
    @Test func aSegmentThatKeepsVanishingFailsTheOpenNamingIt() async throws {
        let (directory, _, segments) = try await segmentedLog()
        let faults = FaultInjector()
        faults.fail(.open, with: .error(ENOENT), repeats: true)
        #expect { _ = try LogReader(directory: directory.path, faults: faults) } throws: { error in
            FaultTestSupport.isInjected(error, "open", pathSuffix: segments[0], errno: ENOENT)
        }
        #expect(faults.injections.count == 100)
    }
}
