import Foundation
import Testing

@testable import TraceLogStorage

/// Injected faults while the writer's process seals an index file (`<base>.tlidx.tmp` written, `fdatasync`'d,
/// renamed, directory `fsync`'d). Index files are derived data: a failure to write one never fails a read or a
/// refresh — the index stays in memory, the stray `.tmp` goes at the next writer open, and the file is written
/// again later.
@Suite struct IndexSealFaultTests {
    struct SealFault: Sendable, CustomTestStringConvertible {
        var operation: FaultInjector.Operation
        var fault: FaultInjector.Fault
        /// Whether the index file reaches its final name despite the fault (only the directory sync failed).
        var fileInPlace: Bool

        var testDescription: String { "\(operation) \(fault)" }
    }

    static let cases: [SealFault] = [
        SealFault(operation: .write, fault: .error(ENOSPC), fileInPlace: false),
        SealFault(operation: .write, fault: .shortWrite(30), fileInPlace: false),
        SealFault(operation: .fdatasync, fault: .error(EIO), fileInPlace: false),
        SealFault(operation: .rename, fault: .error(EIO), fileInPlace: false),
        SealFault(operation: .rename, fault: .error(ENOSPC), fileInPlace: false),
        SealFault(operation: .fsync, fault: .error(EIO), fileInPlace: true),
    ]

    /// A reader that persists indexes loads sealed segments that have no index file (as after a crash): each
    /// index write fails, and every answer is still right.
    @Test(arguments: cases)
    func aSealedSegmentLoadsWhenItsIndexFileCannotBeWritten(_ step: SealFault) async throws {
        let (directory, records, indexes) = try await ReaderFaultTests.sealedLog()
        for index in indexes { try FileManager.default.removeItem(atPath: directory.file(index)) }
        let faults = FaultInjector()
        faults.fail(step.operation, with: step.fault, repeats: true)
        let reader = try LogReader(directory: directory.path, persistsIndexes: true, faults: faults)
        try ReaderFaultTests.expectAnswers(reader, records)
        #expect(faults.injections.count == indexes.count, "one failed attempt per sealed segment")
        let report = try reader.verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == indexes.count)
        #expect(report.rebuiltIndexes.allSatisfy { $0.contains("index file not saved: I/O error: \(step.operation)") })
        #expect(try FaultTestSupport.indexFiles(directory.path) == (step.fileInPlace ? indexes : []))
        let strays = try FaultTestSupport.temporaryFiles(directory.path)
        #expect(strays == (step.fileInPlace ? [] : indexes.map { $0 + ".tmp" }))
        try await expectRepairedLater(directory, records: records, indexes: indexes, strays: strays)
    }

    /// The writer's process seals the index of each segment the writer rolls away from while it refreshes; a
    /// failed seal leaves that refresh (and so the ingest that triggered it) successful.
    @Test func aRefreshAfterARollSucceedsWhenTheIndexSealFails() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        var records = try await LogTestSupport.append(writer, count: 5)
        let faults = FaultInjector()
        faults.fail(.rename, with: .error(EIO), repeats: true)
        let sealer = try LogReader(directory: directory.path, persistsIndexes: true, faults: faults)
        while try LogTestSupport.batches(directory.path).count < 4 {
            records += try await LogTestSupport.append(writer, count: 5, startingAt: records.count)
            try sealer.refresh()
        }
        sealer.waitForIndexFiles()  // sealed segments' index files are written off the refreshing thread
        // One failed index file and one failed filter stack per rolled segment.
        #expect(faults.injections.count == 6, "two failed writes per rolled segment")
        #expect(try FaultTestSupport.indexFiles(directory.path) == [])
        #expect(sealer.endSeq == UInt64(records.count))
        try ReaderFaultTests.expectAnswers(sealer, records)
        try writer.close()
        let strays = try FaultTestSupport.temporaryFiles(directory.path)
        #expect(strays.filter { $0.hasSuffix(".tlidx.tmp") }.count == 3, "\(strays)")
        #expect(strays.count == 4 && strays.contains("filters.tlfs.tmp"), "\(strays)")
        try await expectRepairedLater(directory, records: records, indexes: nil, strays: strays)
    }

    /// The next writer open removes the stray files, a reader that persists indexes writes the files, and a
    /// read-only reader then finds every index valid.
    private func expectRepairedLater(
        _ directory: TemporaryDirectory, records: [Record], indexes: [String]?, strays: [String]
    ) async throws {
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.recoveryReport.removedTemporaryFiles.sorted() == strays)
        try writer.close()
        let repairing = try LogReader(directory: directory.path, persistsIndexes: true)
        _ = try repairing.traceStarts()
        let written = try FaultTestSupport.indexFiles(directory.path)
        if let indexes { #expect(written == indexes) }
        #expect(written.count == repairing.segmentNames.count - 1, "every sealed segment has its index file")
        let reader = try LogReader(directory: directory.path)
        try ReaderFaultTests.expectAnswers(reader, records)
        let report = try reader.verify()
        #expect(report.isClean && report.rebuiltIndexes.isEmpty, "\(report)")
    }
}
