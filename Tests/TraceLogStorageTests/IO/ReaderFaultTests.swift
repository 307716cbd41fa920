import Foundation
import Testing

@testable import TraceLogStorage

/// Injected faults in a reader: `mmap` of index files (the only mapping the storage layer makes — segments are
/// read with `pread`) and `pread` of segments. A reader falls back to scanning or fails with a typed error naming
/// the file; it never crashes and never answers wrongly.
@Suite struct ReaderFaultTests {
    /// A closed log of 250 records in several sealed segments, each with its index file.
    static func sealedLog() async throws -> (TemporaryDirectory, [Record], [String]) {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        let records = try await LogTestSupport.append(writer, count: 250)
        try writer.close()
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        let indexes = try FaultTestSupport.indexFiles(directory.path)
        #expect(indexes.count >= 3, "several sealed segments with index files")
        return (directory, records, indexes)
    }

    /// Every record by scan, by execution id and by trace id, compared with what was appended.
    static func expectAnswers(
        _ reader: LogReader, _ records: [Record], sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        var cursor = reader.cursor()
        var scanned: [Record] = []
        while let stored = try cursor.next() { scanned.append(stored.record) }
        #expect(scanned == records, sourceLocation: sourceLocation)
        for seq in 0..<records.count {
            let found = try reader.records(.execution, key: "ex-\(seq)").map(\.seq)
            #expect(found == [UInt64(seq)], "lookup of ex-\(seq)", sourceLocation: sourceLocation)
        }
        for traceID in Set(records.map(\.traceID)) {
            let expected = records.indices.filter { records[$0].traceID == traceID }.map(UInt64.init)
            #expect(try reader.records(inTrace: traceID).map(\.seq) == expected, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [ENOMEM, ENODEV, EAGAIN])
    func indexFilesThatCannotBeMappedAreRebuiltFromTheSegments(code: Int32) async throws {
        let (directory, records, indexes) = try await Self.sealedLog()
        let before = try indexes.map { try Data(contentsOf: URL(fileURLWithPath: directory.file($0))) }
        let faults = FaultInjector()
        faults.fail(.mmap, with: .error(code), repeats: true)
        let reader = try LogReader(directory: directory.path, faults: faults)
        try Self.expectAnswers(reader, records)
        // Segments are mapped too; one that cannot be is read with pread instead (every answer above held).
        // Two failed mmaps per index file: when the reader opened (it maps each sealed segment's index file ahead
        // of the first lookup) and when the segment was loaded (a failure at open is tried again then).
        #expect(
            faults.injections.map(\.path).filter { $0.hasSuffix(".tlidx") }
                == indexes.map(directory.file) + indexes.map(directory.file),
            "two failed mmaps per index file")
        #expect(faults.injections.contains { $0.path.hasSuffix(".tlseg") }, "segment mappings failed as well")
        let report = try reader.verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == indexes.count)
        for (rebuilt, index) in zip(report.rebuiltIndexes, indexes) {
            #expect(rebuilt.contains("cannot map: mmap \(directory.file(index))"), "\(rebuilt)")
            #expect(rebuilt.contains(String(cString: strerror(code))), "\(rebuilt)")
        }
        let after = try indexes.map { try Data(contentsOf: URL(fileURLWithPath: directory.file($0))) }
        #expect(after == before, "a read-only reader never writes index files")
    }

    @Test func aReaderThatPersistsIndexesRewritesOneItCouldNotMap() async throws {
        let (directory, records, indexes) = try await Self.sealedLog()
        let faults = FaultInjector()
        faults.fail(.mmap, with: .error(ENOMEM), repeats: true)
        let repairing = try LogReader(directory: directory.path, persistsIndexes: true, faults: faults)
        try Self.expectAnswers(repairing, records)
        #expect(try FaultTestSupport.indexFiles(directory.path) == indexes)
        let later = try LogReader(directory: directory.path)
        try Self.expectAnswers(later, records)
        let report = try later.verify()
        #expect(report.isClean && report.rebuiltIndexes.isEmpty, "\(report)")
    }

    @Test(arguments: [EIO, EBADF])
    func aFailedReadOfABatchIsATypedErrorAndReadingAgainWorks(code: Int32) async throws {
        let (directory, records, _) = try await Self.sealedLog()
        let faults = FaultInjector()
        // Batches are read from a mapping of the segment; `pread` is the path when mapping is not possible.
        faults.fail(.mmap, with: .error(ENOMEM), repeats: true)
        let reader = try LogReader(directory: directory.path, faults: faults)
        faults.fail(.read, with: .error(code))
        var cursor = reader.cursor()
        #expect { _ = try cursor.next() } throws: { error in
            FaultTestSupport.isInjected(error, "read", pathSuffix: SegmentName.segment(baseSeq: 0), errno: code)
        }
        #expect(try cursor.next()?.record == records[0], "the cursor retries the same record")
        try Self.expectAnswers(reader, records)
    }

    /// Regression: a failed read while a refresh scanned the last segment used to drop that segment's in-memory
    /// index, so after the next (successful) refresh, lookups missed every record indexed before the failure.
    @Test func aFailedReadDuringRefreshLosesNoIndexEntries() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        var records = try await LogTestSupport.append(writer, count: 20)
        let faults = FaultInjector()
        let reader = try LogReader(directory: directory.path, faults: faults)
        records += try await LogTestSupport.append(writer, count: 20, startingAt: 20)
        faults.fail(.read, with: .error(EIO))
        #expect { try reader.refresh() } throws: { error in
            FaultTestSupport.isInjected(error, "read", pathSuffix: SegmentName.segment(baseSeq: 0), errno: EIO)
        }
        #expect(reader.endSeq == 20, "a failed refresh keeps the previous view")
        records += try await LogTestSupport.append(writer, count: 20, startingAt: 40)
        try reader.refresh()
        try writer.close()
        #expect(reader.endSeq == 60)
        try Self.expectAnswers(reader, records)
        #expect(try reader.verify().isClean)
    }
}
