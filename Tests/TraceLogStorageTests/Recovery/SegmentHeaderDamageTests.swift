import Foundation
import Testing

@testable import TraceLogStorage

/// A damaged segment header is damage wherever the segment sits: readers and `verify` report it, naming the
/// file, every other segment stays readable, and the writer keeps appending past it. A crash during segment
/// creation leaves only a `.tmp` file (segments are created under a temporary name and renamed).
@Suite struct SegmentHeaderDamageTests {
    /// A log of 300 records over several 2 KiB segments; returns the records and the segment names.
    private func makeLog(_ directory: TemporaryDirectory) async throws -> ([Record], [String]) {
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        let records = try await LogTestSupport.append(writer, count: 300, perAppend: 5)
        try writer.close()
        let names = try LogReader(directory: directory.path).segmentNames
        #expect(names.count >= 4)
        return (records, names)
    }

    private func readAll(_ reader: LogReader) throws -> [Record] {
        var cursor = reader.cursor()
        var records: [Record] = []
        while let stored = try cursor.next() { records.append(stored.record) }
        return records
    }

    /// Every byte of the last segment's header: before, the reader skipped the whole segment as "a crash during
    /// creation" and `verify` said OK with its records missing.
    @Test(arguments: 0..<32)
    func aFlippedByteInTheLastSegmentsHeaderIsReportedAndHidesNothing(byte: Int) async throws {
        let directory = TemporaryDirectory()
        let (records, names) = try await makeLog(directory)
        let last = try #require(names.last)
        try LogTestSupport.flipBit(directory.file(last), at: Int64(byte), bit: 2)

        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames == names, "no segment is skipped")
        #expect(reader.endSeq == 300)
        #expect(try readAll(reader) == records, "its batches are still read, from the base seq in its name")
        let damage = try reader.damage()
        #expect(damage.count == 1)
        #expect(damage.first?.segment == last)
        #expect(damage.first?.offset == 0)
        #expect(damage.first?.reason.hasPrefix("damaged segment header") == true)
        let report = try reader.verify()
        #expect(!report.isClean)
        #expect(report.problems.contains { $0.hasPrefix("\(last) at offset 0") }, "\(report.problems)")
    }

    @Test func everyDamagedSealedHeaderIsReportedAndTheRestOfTheLogStaysUsable() async throws {
        let directory = TemporaryDirectory()
        let (records, names) = try await makeLog(directory)
        let victims = [names[1], names[2]]
        for name in victims { try LogTestSupport.flipBit(directory.file(name), at: 3) }

        // Before: opening a reader threw at the first damaged segment, so nothing was readable.
        let reader = try LogReader(directory: directory.path)
        #expect(try readAll(reader) == records)
        #expect(try reader.record(at: 299).record == records[299])
        #expect(try reader.damage().map(\.segment) == victims)
        let report = try reader.verify()
        #expect(report.segments == names.count)
        #expect(report.problems.count == 2, "\(report.problems)")
        for name in victims { #expect(report.problems.contains { $0.hasPrefix("\(name) at offset 0") }) }

        // The writer keeps appending to a log whose damage is behind it, and its process persists indexes.
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.recoveryReport.isClean)
        let more = try await LogTestSupport.append(writer, count: 20, startingAt: 300)
        try writer.close()
        let sealer = try LogReader(directory: directory.path, persistsIndexes: true)
        #expect(try readAll(sealer) == records + more)
        #expect(try sealer.damage().map(\.segment) == victims)
    }

    @Test func theWriterKeepsADamagedLastSegmentAsItIsAndWritesPastIt() async throws {
        let directory = TemporaryDirectory()
        let (records, names) = try await makeLog(directory)
        let last = try #require(names.last)
        let path = directory.file(last)
        try LogTestSupport.flipBit(path, at: 17)
        let size = try LogTestSupport.fileSize(path)

        // Before: opening for writing threw `corruptSegment`, so nothing could be ingested.
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.recoveryReport.damagedHeader?.segment == last)
        #expect(writer.recoveryReport.truncatedTail == nil)
        #expect(writer.recoveryReport.summary.contains { $0.contains("damaged segment header kept: \(last)") })
        #expect(writer.endSeq == 300)
        let more = try await LogTestSupport.append(writer, count: 10, startingAt: 300)
        try writer.close()
        #expect(try LogTestSupport.fileSize(path) == size, "the damaged segment is kept as it is")

        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames == names + [SegmentName.segment(baseSeq: 300)])
        #expect(try readAll(reader) == records + more)
        #expect(try reader.damage().map(\.segment) == [last])
        #expect(try reader.damage().first?.seqs.map { $0.upperBound } == 300)
        // Reopening finds the same log: the damage is behind the writer now.
        let again = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(again.recoveryReport.isClean)
        #expect(again.endSeq == 310)
        try again.close()
    }

    /// Position no longer decides: an empty file under a segment name cannot come from creating a segment (that
    /// leaves a `.tmp`), so it is reported, and the writer refuses to reuse its name rather than delete it.
    @Test func anEmptySegmentFileIsDamageAndATemporaryFileIsACreationCrash() async throws {
        let directory = TemporaryDirectory()
        let (records, names) = try await makeLog(directory)
        let empty = SegmentName.segment(baseSeq: 300)
        _ = FileManager.default.createFile(atPath: directory.file(empty), contents: Data())
        _ = FileManager.default.createFile(atPath: directory.file(empty + ".tmp"), contents: Data([1, 2]))

        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames == names + [empty])
        #expect(try readAll(reader) == records)
        #expect(try reader.damage().map(\.segment) == [empty])
        #expect(try reader.verify().problems.contains { $0.hasPrefix("\(empty) at offset 0") })

        #expect {
            _ = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        } throws: { error in
            guard case .corruptSegment(let segment, let reason) = error as? LogError else { return false }
            return segment == empty && reason.contains("segment header is incomplete")
                && reason.contains("move the file out of the log directory")
        }
        #expect(FileManager.default.fileExists(atPath: directory.file(empty)), "damage is never deleted")
        #expect(!FileManager.default.fileExists(atPath: directory.file(empty + ".tmp")))

        // Once the operator moves it away, writing goes on where the log ends.
        try FileManager.default.removeItem(atPath: directory.file(empty))
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        #expect(writer.endSeq == 300)
        try writer.close()
    }
}
