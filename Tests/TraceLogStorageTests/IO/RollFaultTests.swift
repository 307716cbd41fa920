import Foundation
import Testing

@testable import TraceLogStorage

/// Injected faults in each step of a segment roll: seal (`fdatasync` of the full segment), then the new segment's
/// `open` of `<name>.tmp`, header `write`, `fdatasync`, and the directory `fsync` after the rename (a failed rename
/// is in ``FaultInjectionTests``). Every case: a clear error naming the file, the writer stops, nothing not durable
/// is acknowledged, and the log reopens intact with any stray `.tmp` removed.
@Suite struct RollFaultTests {
    struct RollFault: Sendable, CustomTestStringConvertible {
        var operation: FaultInjector.Operation
        /// Which call of `operation` within the roll fails (1 = the first after the fault is planned).
        var occurrence: Int
        var fault: FaultInjector.Fault
        /// The operation as the error names it, and how the failing path ends.
        var reported: String
        var pathSuffix: String
        /// Whether the fault leaves the new segment's `.tmp` file behind.
        var leavesTemporaryFile: Bool

        var testDescription: String { "\(operation) #\(occurrence) \(fault) → \(reported) *\(pathSuffix)" }
    }

    static let newSegment = SegmentName.segment(baseSeq: 5)

    static let cases: [RollFault] = [
        RollFault(
            operation: .open, occurrence: 1, fault: .error(ENOSPC), reported: "open",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: false),
        RollFault(
            operation: .open, occurrence: 1, fault: .error(EMFILE), reported: "open",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: false),
        RollFault(
            operation: .write, occurrence: 1, fault: .error(ENOSPC), reported: "write",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: true),
        RollFault(
            operation: .write, occurrence: 1, fault: .shortWrite(10), reported: "write",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: true),
        RollFault(
            operation: .write, occurrence: 1, fault: .error(EIO), reported: "write",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: true),
        RollFault(
            operation: .fdatasync, occurrence: 2, fault: .error(EIO), reported: "fdatasync",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: true),
        RollFault(
            operation: .fdatasync, occurrence: 2, fault: .error(ENOSPC), reported: "fdatasync",
            pathSuffix: newSegment + ".tmp", leavesTemporaryFile: true),
        RollFault(
            operation: .fsync, occurrence: 1, fault: .error(EIO), reported: "fsync", pathSuffix: "",
            leavesTemporaryFile: false),
    ]

    /// A sync-mode writer whose segments hold one append each (every append after the first rolls), with
    /// records 0..<5 acknowledged in segment 0.
    static func writerWithOneSegment(_ directory: TemporaryDirectory, durability: Durability = .sync)
        async throws -> (LogWriter, FaultInjector, [Record])
    {
        let faults = FaultInjector()
        let writer = try LogWriter.open(
            directory: directory.path,
            options: LogOptions(durability: durability, segmentMaxBytes: 1, batchTargetBytes: 64 << 10, faults: faults))
        let acknowledged = try await LogTestSupport.append(writer, count: 5)
        return (writer, faults, acknowledged)
    }

    @Test(arguments: cases)
    func aFaultWhileCreatingTheNextSegmentStopsTheWriter(_ step: RollFault) async throws {
        let directory = TemporaryDirectory()
        let (writer, faults, acknowledged) = try await Self.writerWithOneSegment(directory)
        faults.fail(step.operation, occurrence: step.occurrence, with: step.fault)
        let errno: Int32 = if case .error(let code) = step.fault { code } else { ENOSPC }
        await #expect {
            try await writer.append(SampleRecords.numbered(5, startingAt: 5))
        } throws: { error in
            FaultTestSupport.isInjected(
                error, step.reported, pathSuffix: step.pathSuffix.isEmpty ? directory.path : step.pathSuffix,
                errno: errno)
        }
        #expect(faults.injections.count == 1)
        #expect(writer.durableSeq == 5, "nothing after the acknowledged records counts as durable")
        await #expect {
            try await writer.append(SampleRecords.numbered(1, startingAt: 5))
        } throws: { error in
            if case .writerStopped = error as? LogError { return true }
            return false
        }
        #expect(
            try FaultTestSupport.temporaryFiles(directory.path) == (step.leavesTemporaryFile ? [step.pathSuffix] : []))
        _ = try? writer.close()
        let report = try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
        #expect(report.removedTemporaryFiles == (step.leavesTemporaryFile ? [step.pathSuffix] : []))
    }

    /// Regression: the handle of a segment made by a roll kept the name of its `.tmp` file, so every later error
    /// about that segment (a failed write or `fdatasync`) named a file that no longer exists.
    @Test(arguments: [FaultInjector.Operation.write, .fdatasync])
    func errorsAboutARolledSegmentNameTheSegment(operation: FaultInjector.Operation) async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        var options = LogTestSupport.smallOptions(durability: .sync)
        options.faults = faults
        let writer = try LogWriter.open(directory: directory.path, options: options)
        let acknowledged = try await LogTestSupport.append(writer, count: 5)
        faults.fail(operation, with: .error(EIO))
        await #expect(throws: LogError.self) { try await writer.append(SampleRecords.numbered(5, startingAt: 5)) }
        let segment = directory.file(SegmentName.segment(baseSeq: 0))
        #expect(faults.injections.map(\.path) == [segment])
        #expect(FileManager.default.fileExists(atPath: segment))
        _ = try? writer.close()
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
    }
}
