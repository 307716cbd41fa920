import Foundation
import Testing

@testable import TraceLogStorage

/// Injected faults while retention deletes old segments (`unlink` of the index file, then of the segment, then
/// the directory `fsync`). The pass fails with an error naming the file, the log stays one contiguous range, the
/// writer keeps working, and the next pass finishes the job.
@Suite struct RetentionFaultTests {
    struct DeleteFault: Sendable, CustomTestStringConvertible {
        var operation: FaultInjector.Operation
        var occurrence: Int
        var code: Int32
        /// How the path named by the error ends ("" for the directory).
        var pathSuffix: String
        /// Segments gone after the failed pass.
        var deletedBeforeFailure: Int

        var testDescription: String { "\(operation) #\(occurrence) errno \(code)" }
    }

    static let cases: [DeleteFault] = [
        DeleteFault(operation: .unlink, occurrence: 1, code: EIO, pathSuffix: ".tlidx", deletedBeforeFailure: 0),
        DeleteFault(operation: .unlink, occurrence: 2, code: EACCES, pathSuffix: ".tlseg", deletedBeforeFailure: 0),
        DeleteFault(operation: .unlink, occurrence: 4, code: EROFS, pathSuffix: ".tlseg", deletedBeforeFailure: 1),
        DeleteFault(operation: .fsync, occurrence: 1, code: EIO, pathSuffix: "", deletedBeforeFailure: 2),
    ]

    @Test(arguments: cases)
    func aFailedDeletionLeavesAContiguousLogAndTheNextPassFinishes(_ step: DeleteFault) async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        var options = LogTestSupport.smallOptions(segmentMaxBytes: 2048)
        options.faults = faults
        let writer = try LogWriter.open(directory: directory.path, options: options)
        let records = try await LogTestSupport.append(writer, count: 200)
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        let segments = try LogTestSupport.batches(directory.path)
        #expect(segments.count >= 4)
        // Everything in the first two segments is older than the cut-off.
        let cutoff = Timestamp(microseconds: segments[2].batches[0].minTime)
        faults.fail(step.operation, occurrence: step.occurrence, with: .error(step.code))
        #expect { _ = try writer.deleteSegments(olderThan: cutoff) } throws: { error in
            FaultTestSupport.isInjected(
                error, step.operation.rawValue, pathSuffix: step.pathSuffix.isEmpty ? directory.path : step.pathSuffix,
                errno: step.code)
        }
        let afterFailure = try LogReader(directory: directory.path)
        #expect(afterFailure.segmentNames == segments.dropFirst(step.deletedBeforeFailure).map(\.segment))
        try expectContiguous(afterFailure, records: records)
        let more = try await LogTestSupport.append(writer, count: 5, startingAt: 200)
        let retry = try writer.deleteSegments(olderThan: cutoff)
        #expect(retry.startSeq == segments[2].batches[0].baseSeq)
        try writer.close()
        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames.starts(with: segments.dropFirst(2).map(\.segment)))
        #expect(reader.startSeq == segments[2].batches[0].baseSeq)
        try expectContiguous(reader, records: records + more)
        #expect(try reader.verify().isClean)
    }

    /// The reader's records are exactly `records[startSeq...]`.
    private func expectContiguous(_ reader: LogReader, records: [Record]) throws {
        var cursor = reader.cursor()
        var stored: [StoredRecord] = []
        while let next = try cursor.next() { stored.append(next) }
        #expect(stored.map(\.seq) == Array(reader.startSeq..<UInt64(records.count)))
        #expect(stored.map(\.record) == Array(records[Int(reader.startSeq)...]))
    }
}
