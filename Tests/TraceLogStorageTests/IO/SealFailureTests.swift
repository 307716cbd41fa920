import Foundation
import Testing

@testable import TraceLogStorage

/// A failed `fdatasync` of the segment being sealed at a roll: the writer stops, and neither the group commit,
/// nor ``LogWriter/sync()``, nor ``LogWriter/close()`` syncs that file again — a retry could succeed after the
/// kernel dropped the dirty pages and so acknowledge lost records.
@Suite struct SealFailureTests {
    /// Regression: a failed `fdatasync` of the segment being sealed used to leave the group commit free to
    /// `fdatasync` the same file again, and a success of that retry acknowledged records whose pages the
    /// kernel may have dropped after the first failure.
    @Test func aFailedSealIsNeverRetriedByTheGroupCommit() async throws {
        let directory = TemporaryDirectory()
        let (writer, faults, acknowledged) = try await RollFaultTests.writerWithOneSegment(directory)
        // Written to segment 5 but not yet durable: the appender has not waited for its fdatasync yet.
        let pending = try writer.appendWritten(SampleRecords.numbered(5, startingAt: 5))
        let syncsBefore = faults.count(of: .fdatasync)
        faults.fail(.fdatasync, with: .error(EIO))
        // The next append rolls: sealing segment 5 fails, so records 5..<10 may be lost.
        #expect(throws: LogError.self) { try writer.appendWritten(SampleRecords.numbered(5, startingAt: 10)) }
        await #expect {
            try await writer.waitUntilDurable(upTo: pending.upperBound)
        } throws: { error in
            guard case .writerStopped(let cause) = error as? LogError else { return false }
            return cause.contains("sealing \(SegmentName.segment(baseSeq: 5))") && cause.contains("fdatasync")
        }
        #expect(writer.durableSeq == 5)
        #expect(throws: LogError.self, "close reports the failure instead of syncing again") { try writer.close() }
        #expect(faults.count(of: .fdatasync) == syncsBefore + 1, "the failed fdatasync is never retried")
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
    }

    /// The same in `none` mode: the records were acknowledged when written, but `close` must not claim they are
    /// durable by syncing the file whose `fdatasync` already failed.
    @Test func closeAfterAFailedSealThrowsWithoutSyncingAgain() async throws {
        let directory = TemporaryDirectory()
        let (writer, faults, acknowledged) = try await RollFaultTests.writerWithOneSegment(directory, durability: .none)
        let syncsBefore = faults.count(of: .fdatasync)
        faults.fail(.fdatasync, with: .error(EIO))
        await #expect {
            try await writer.append(SampleRecords.numbered(5, startingAt: 5))
        } throws: { error in
            guard case .io(let system) = error as? LogError else { return false }
            return system.operation == "fdatasync" && system.path.hasSuffix(SegmentName.segment(baseSeq: 0))
        }
        #expect(throws: LogError.self) { try writer.sync() }
        #expect(throws: LogError.self) { try writer.close() }
        #expect(faults.count(of: .fdatasync) == syncsBefore + 1, "the failed fdatasync is never retried")
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
    }
}
