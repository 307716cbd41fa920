import Foundation
import Testing

@testable import TraceLogStorage

/// Corruption in the middle of the log is reported with segment and offset, and never dropped with the data after it.
@Suite struct CorruptionTests {
    @Test func aFlippedBitInASealedSegmentIsReportedAndLaterSegmentsStayReadable() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        let records = try await LogTestSupport.append(writer, count: 300, perAppend: 5)
        try writer.close()
        let segments = try LogTestSupport.batches(directory.path)
        #expect(segments.count >= 3)
        let (victimName, victimBatches) = segments[1]
        let victim = victimBatches[1]
        try LogTestSupport.flipBit(directory.file(victimName), at: victim.offset + Int64(BatchHeader.size) + 5, bit: 3)

        // The writer only scans the last segment, so it opens normally.
        let reopened = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(reopened.endSeq == 300)
        try reopened.close()

        let reader = try LogReader(directory: directory.path)
        #expect {
            _ = try reader.record(at: victim.baseSeq)
        } throws: { error in
            guard case .corruptBatch(let segment, let offset, let reason) = error as? LogError else { return false }
            return segment == victimName && offset == victim.offset && reason.contains("checksum mismatch")
        }
        // Records before and after the damage, including later segments, are still readable.
        #expect(try reader.record(at: victim.baseSeq - 1).record == records[Int(victim.baseSeq) - 1])
        #expect(try reader.record(at: victim.endSeq).record == records[Int(victim.endSeq)])
        #expect(try reader.record(at: 299).record == records[299])

        // A cursor reports the damage, then can skip exactly the damaged batch.
        var cursor = reader.cursor()
        var seen: [UInt64] = []
        var errors: [LogError] = []
        while true {
            do {
                guard let record = try cursor.next() else { break }
                seen.append(record.seq)
            } catch {
                errors.append(error)
                cursor.skipDamagedBatch()
            }
        }
        #expect(errors.count == 1)
        #expect(seen.count == 300 - Int(victim.recordCount))
        #expect(!seen.contains(victim.baseSeq))
        #expect(seen.contains(victim.endSeq))
    }

    @Test func corruptionInTheMiddleOfTheActiveSegmentIsKeptAndWritingMovesOn() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        let records = try await LogTestSupport.append(writer, count: 80, perAppend: 4)
        try writer.close()
        let name = SegmentName.segment(baseSeq: 0)
        let batches = try LogTestSupport.batches(directory.path)[0].batches
        let victim = batches[batches.count / 2]
        let sizeBefore = try LogTestSupport.fileSize(directory.file(name))
        try LogTestSupport.flipBit(directory.file(name), at: victim.offset + Int64(BatchHeader.size) + 9)

        let reopened = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(reopened.recoveryReport.truncatedTail == nil)
        #expect(reopened.recoveryReport.damagedRegions.map(\.offset) == [victim.offset])
        #expect(reopened.recoveryReport.damagedRegions.first?.segment == name)
        #expect(reopened.endSeq == 80, "valid batches after the damage still count")
        let more = try await LogTestSupport.append(reopened, count: 8, startingAt: 80)
        try reopened.close()
        #expect(try LogTestSupport.fileSize(directory.file(name)) == sizeBefore, "the damaged segment is not cut")

        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames == [name, SegmentName.segment(baseSeq: 80)])
        #expect(try reader.record(at: victim.endSeq).record == records[Int(victim.endSeq)])
        #expect(reader.damagedRegions.map(\.offset) == [victim.offset])
        #expect(try reader.record(at: 85).record == more[5])
        #expect(throws: LogError.self) { _ = try reader.record(at: victim.baseSeq) }
    }

    @Test func aCorruptSegmentHeaderIsNamed() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        try await LogTestSupport.append(writer, count: 10)
        try writer.close()
        let name = SegmentName.segment(baseSeq: 0)
        try LogTestSupport.flipBit(directory.file(name), at: 9)
        // The writer keeps the segment as it is and writes past it (it used to refuse to open).
        let reopened = try LogWriter.open(directory: directory.path)
        #expect(reopened.recoveryReport.damagedHeader?.segment == name)
        #expect(
            reopened.recoveryReport.damagedHeader?.reason == "damaged segment header: segment header checksum mismatch")
        try reopened.close()
        #expect(
            try LogReader(directory: directory.path).damage().map(\.reason) == [
                "damaged segment header: segment header checksum mismatch"
            ])
    }
}
