import Foundation
import Testing

@testable import TraceLogStorage

/// Damage a reader knows of, with the sequence numbers it puts in doubt: it survives an index rebuild (the rebuilt
/// index file records it), and a sealed segment that lost its end is detected, from its index file or from
/// where the next segment starts.
@Suite struct DamageRecordTests {
    /// 300 records over several 2 KiB segments, with the index files the writer's process writes; returns the
    /// batch tables.
    private func makeIndexedLog(_ directory: TemporaryDirectory) async throws -> [(
        segment: String, batches: [BatchLocation]
    )] {
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 2048))
        try await LogTestSupport.append(writer, count: 300, perAppend: 5)
        try writer.close()
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        let segments = try LogTestSupport.batches(directory.path)
        #expect(segments.count >= 4)
        return segments
    }

    private func indexPath(_ directory: TemporaryDirectory, _ segment: String) -> String {
        directory.file(String(segment.dropLast(".tlseg".count)) + ".tlidx")
    }

    @Test func aCorruptBatchFoundByAnIndexRebuildIsKnownAndRecordedInTheNewIndexFile() async throws {
        let directory = TemporaryDirectory()
        let segments = try await makeIndexedLog(directory)
        let (name, batches) = segments[1]
        let victim = batches[1]
        try LogTestSupport.flipBit(directory.file(name), at: victim.offset + Int64(BatchHeader.size) + 7)
        try FileManager.default.removeItem(atPath: indexPath(directory, name))

        // The rebuilt index does not hold the damaged batch's records: a lookup cannot find them, so the
        // reader must know the damage, with the seqs it hides.
        let reader = try LogReader(directory: directory.path)
        #expect(try reader.records(.execution, key: "ex-\(victim.baseSeq)").isEmpty)
        let expected = victim.baseSeq..<victim.endSeq
        #expect(try reader.damage().map(\.seqs) == [expected])
        #expect(try reader.damage().first?.offset == victim.offset)
        #expect(try reader.damage(touching: victim.endSeq..<UInt64.max).isEmpty)
        #expect(try reader.damage(touching: 0..<victim.baseSeq + 1).count == 1)

        // The writer's process writes the index file again; it records the damaged range, so a reader that
        // loads that file (and never scans the segment) still knows it.
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        #expect(FileManager.default.fileExists(atPath: indexPath(directory, name)))
        let later = try LogReader(directory: directory.path)
        let known = try later.damage()
        #expect(known.map(\.seqs) == [expected])
        #expect(known.first?.segment == name)
        #expect(later.loadedSegmentCount == segments.count)
        #expect(
            try later.verify().problems.contains { $0.hasPrefix("corrupt batch: \(name) at offset \(victim.offset)") })
    }

    /// A sealed segment cut short (67 MB to 40 MB in the report): in the middle of a batch or exactly at a batch
    /// boundary, with its index file kept or deleted. Before, a boundary cut hid its records without a trace.
    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func aTruncatedSealedSegmentIsDetected(midBatch: Bool, keepIndex: Bool) async throws {
        let directory = TemporaryDirectory()
        let segments = try await makeIndexedLog(directory)
        let (name, batches) = segments[1]
        let nextBase = try #require(segments[2].batches.first?.baseSeq)
        let firstLost = batches[batches.count / 2]
        let cut = firstLost.offset + (midBatch ? 20 : 0)
        try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file(name))).truncate(atOffset: UInt64(cut))
        if !keepIndex { try FileManager.default.removeItem(atPath: indexPath(directory, name)) }

        let reader = try LogReader(directory: directory.path)
        let damage = try reader.damage()
        #expect(damage.count == 1, "\(damage)")
        #expect(damage.first?.segment == name)
        #expect(damage.first?.offset == firstLost.offset)
        #expect(damage.first?.seqs == firstLost.baseSeq..<nextBase)
        #expect(throws: LogError.self) { _ = try reader.record(at: firstLost.baseSeq) }
        #expect(try reader.record(at: nextBase).seq == nextBase, "later segments stay readable")
        let report = try reader.verify()
        #expect(!report.isClean)
        #expect(report.problems.contains { $0.contains(name) }, "\(report.problems)")
    }
}
