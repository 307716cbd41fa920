import Foundation
import Testing

@testable import TraceLogStorage

/// Injected faults while a writer opens and recovers a log (`open`, `flock`, `unlink` of stray temporary files,
/// `ftruncate` and `fdatasync` of a torn tail), and in the cut-back of a failed write. Opening fails with an
/// error that names the file, changes nothing it cannot finish, and the next open repairs everything.
@Suite struct OpenFaultTests {
    /// A closed log of 20 records; returns it and the records.
    private func closedLog() async throws -> (TemporaryDirectory, [Record]) {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        let records = try await LogTestSupport.append(writer, count: 20)
        try writer.close()
        return (directory, records)
    }

    private func open(_ directory: TemporaryDirectory, _ faults: FaultInjector) throws(LogError) -> LogWriter {
        var options = LogTestSupport.smallOptions()
        options.faults = faults
        return try LogWriter.open(directory: directory.path, options: options)
    }

    @Test(arguments: [EMFILE, EACCES])
    func aLockFileThatCannotBeOpenedFailsTheOpen(code: Int32) async throws {
        let (directory, records) = try await closedLog()
        let faults = FaultInjector()
        faults.fail(.open, with: .error(code))
        #expect { _ = try open(directory, faults) } throws: { error in
            FaultTestSupport.isInjected(error, "open", pathSuffix: "/LOCK", errno: code)
        }
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
    }

    @Test func aFailingFlockIsAnIOErrorNotALockedLog() async throws {
        let (directory, records) = try await closedLog()
        let faults = FaultInjector()
        faults.fail(.lock, with: .error(ENOLCK))
        #expect { _ = try open(directory, faults) } throws: { error in
            FaultTestSupport.isInjected(error, "lock", pathSuffix: "/LOCK", errno: ENOLCK)
        }
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
    }

    @Test(arguments: [EIO, EACCES])
    func aStrayTemporaryFileThatCannotBeRemovedFailsTheOpenUntilItCan(code: Int32) async throws {
        let (directory, records) = try await closedLog()
        let stray = SegmentName.segment(baseSeq: 20) + ".tmp"
        _ = FileManager.default.createFile(atPath: directory.file(stray), contents: Data([0x54, 0x4C]))
        let faults = FaultInjector()
        faults.fail(.unlink, with: .error(code))
        #expect { _ = try open(directory, faults) } throws: { error in
            FaultTestSupport.isInjected(error, "unlink", pathSuffix: stray, errno: code)
        }
        #expect(try FaultTestSupport.temporaryFiles(directory.path) == [stray])
        let report = try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
        #expect(report.removedTemporaryFiles == [stray])
    }

    @Test(arguments: [FaultInjector.Operation.ftruncate, .fdatasync])
    func aTornTailThatCannotBeCutFailsTheOpenUntilItCan(operation: FaultInjector.Operation) async throws {
        let (directory, records) = try await closedLog()
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let validLength = try LogTestSupport.fileSize(segment)
        try LogTestSupport.appendBytes(segment, Array(repeating: 0xAB, count: 77))
        let faults = FaultInjector()
        faults.fail(operation, with: .error(EIO))
        #expect { _ = try open(directory, faults) } throws: { error in
            FaultTestSupport.isInjected(
                error, operation.rawValue, pathSuffix: SegmentName.segment(baseSeq: 0), errno: EIO)
        }
        #expect(try LogTestSupport.readAll(directory.path).map(\.record) == records, "readers never see the tail")
        let report = try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
        // A failed ftruncate left the tail for the next open; after a failed fdatasync the cut was already made.
        #expect(report.truncatedTail?.offset == (operation == .ftruncate ? validLength : nil))
    }

    @Test func aLastSegmentThatCannotBeOpenedForWritingFailsTheOpen() async throws {
        let (directory, records) = try await closedLog()
        let faults = FaultInjector()
        // The lock file is the first open, the last segment the second.
        faults.fail(.open, occurrence: 2, with: .error(EACCES))
        #expect { _ = try open(directory, faults) } throws: { error in
            FaultTestSupport.isInjected(error, "open", pathSuffix: SegmentName.segment(baseSeq: 0), errno: EACCES)
        }
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
    }

    /// A short write at a full disk whose cut-back `ftruncate` fails too: the partial batch stays in the file,
    /// but no reader accepts it, nothing of it was acknowledged, and the next open cuts it.
    @Test func aPartialBatchThatCannotBeCutIsInvisibleAndCutOnReopen() async throws {
        let (directory, records) = try await closedLog()
        let faults = FaultInjector()
        let writer = try open(directory, faults)
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        let validLength = try LogTestSupport.fileSize(segment)
        faults.fail(.write, with: .shortWrite(60))
        faults.fail(.ftruncate, with: .error(EIO))
        await #expect {
            try await writer.append(SampleRecords.numbered(10, startingAt: 20))
        } throws: { error in
            FaultTestSupport.isInjected(error, "write", pathSuffix: SegmentName.segment(baseSeq: 0), errno: ENOSPC)
        }
        #expect(faults.injections.map(\.operation) == [.write, .ftruncate])
        #expect(try LogTestSupport.fileSize(segment) == validLength + 60, "the partial batch is still there")
        #expect(writer.durableSeq == 20)
        let reader = try LogReader(directory: directory.path)
        #expect(reader.endSeq == 20, "a reader does not accept the partial batch")
        _ = try? writer.close()
        let report = try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: records)
        #expect(report.truncatedTail?.offset == validLength)
        #expect(report.truncatedTail?.length == 60)
    }
}
