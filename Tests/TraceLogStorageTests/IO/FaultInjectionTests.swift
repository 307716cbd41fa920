import Foundation
import Testing

@testable import TraceLogStorage

/// Injected I/O faults: nothing is acknowledged unless durable, a failed fsync stops the writer for good,
/// and the log always reopens intact.
@Suite struct FaultInjectionTests {
    @Test func aFailedFsyncStopsTheWriterAndIsNeverRetried() async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogOptions(durability: .sync, faults: faults))
        let acknowledged = try await LogTestSupport.append(writer, count: 10)
        let syncsBefore = faults.count(of: .fdatasync)
        faults.fail(.fdatasync, with: .error(EIO))
        await #expect(throws: LogError.self) { try await writer.append(SampleRecords.numbered(5, startingAt: 10)) }
        #expect(writer.durableSeq == 10, "the failed append is not acknowledged")
        await #expect {
            try await writer.append(SampleRecords.numbered(1, startingAt: 15))
        } throws: { error in
            if case .writerStopped = error as? LogError { return true }
            return false
        }
        #expect(faults.count(of: .fdatasync) == syncsBefore + 1, "no retry after the failed fdatasync")
        #expect(throws: LogError.self) { try writer.close() }
        let reopened = try LogWriter.open(directory: directory.path)
        #expect(reopened.endSeq >= 10)
        try reopened.close()
        #expect(Array(try LogTestSupport.readAll(directory.path).map(\.record).prefix(10)) == acknowledged)
    }

    @Test(arguments: [FaultInjector.Fault.error(ENOSPC), .shortWrite(20), .error(EIO)])
    func aFailedWriteGivesAClearErrorAndTheLogReopensIntact(fault: FaultInjector.Fault) async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(durability: .sync))
        let acknowledged = try await LogTestSupport.append(writer, count: 20)
        _ = faults  // the writer above has no plan; the second one does
        try writer.close()
        var options = LogTestSupport.smallOptions(durability: .sync)
        options.faults = faults
        let faulty = try LogWriter.open(directory: directory.path, options: options)
        faults.fail(.write, with: fault)
        await #expect {
            try await faulty.append(SampleRecords.numbered(10, startingAt: 20))
        } throws: { error in
            guard case .io(let systemError) = error as? LogError else { return false }
            return systemError.injected && systemError.path.hasSuffix(".tlseg")
                && "\(error)".contains(systemError.errno == ENOSPC ? "No space left on device" : "Input/output error")
        }
        await #expect(throws: LogError.self) { try await faulty.append(SampleRecords.numbered(1, startingAt: 20)) }
        _ = try? faulty.close()
        let reopened = try LogWriter.open(directory: directory.path)
        #expect(reopened.endSeq == 20)
        try reopened.close()
        #expect(try LogTestSupport.readAll(directory.path).map(\.record) == acknowledged)
    }

    @Test func aFailedRollLeavesNoStrayFilesAfterReopen() async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        var options = LogTestSupport.smallOptions(segmentMaxBytes: 1024)
        options.faults = faults
        let writer = try LogWriter.open(directory: directory.path, options: options)
        faults.fail(.rename, with: .error(EIO))
        var acknowledged: [Record] = []
        do {
            for round in 0..<20 {
                let records = SampleRecords.numbered(5, startingAt: round * 5)
                try await writer.append(records)
                acknowledged += records
            }
            Issue.record("the roll should have failed")
        } catch {
            #expect("\(error)".contains("rename"))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains { $0.hasSuffix(".tmp") }, "the interrupted roll left its temporary file")
        _ = try? writer.close()
        let reopened = try LogWriter.open(directory: directory.path)
        #expect(reopened.recoveryReport.removedTemporaryFiles.count == 1)
        try reopened.close()
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: directory.path)).contains { $0.hasSuffix(".tmp") })
        #expect(
            Array(try LogTestSupport.readAll(directory.path).map(\.record).prefix(acknowledged.count)) == acknowledged)
    }
}
