import Foundation
import Testing

@testable import TraceLogStorage

/// `traceStarts(tag:)` answers from the tag postings and the trace-start tables alone; it must give what a full
/// scan gives, whichever form each segment's index is in: a mapped file (sealed), a checkpoint file plus an
/// in-memory tail (layered), or in memory only.
@Suite struct TagTraceStartsTests {
    private static func starts(_ range: Range<Int>) -> [Record] {
        range.map { trace in
            Record(
                time: Timestamp(microseconds: SampleRecords.time.microseconds + Int64(trace)),
                traceID: TraceID(high: 7, low: UInt64(trace + 1)),
                body: .traceStart(TraceStart(tag: trace % 3 == 0 ? "nightly" : "run-\(trace)")))
        }
    }

    /// The expected answer: every trace-start record of the log with this tag, from a full scan.
    private static func scanned(_ directory: String, tag: String) throws -> [UInt64] {
        try LogTestSupport.readAll(directory).compactMap { stored in
            guard case .traceStart(let start) = stored.record.body, start.tag == tag else { return nil }
            return stored.seq
        }
    }

    @Test func matchesAFullScanOverSealedCheckpointedAndInMemorySegments() throws {
        let directory = TemporaryDirectory()
        // Sealed segments with index files.
        let small = LogTestSupport.smallOptions(segmentMaxBytes: 700)
        let first = try LogWriter.open(directory: directory.path, options: small)
        for chunk in 0..<8 { try first.appendWritten(Self.starts(chunk * 20..<chunk * 20 + 20)) }
        try first.close()
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        // The last segment gets a checkpoint at close, then a tail after it.
        let big = LogTestSupport.smallOptions()
        let second = try LogWriter.open(directory: directory.path, options: big)
        try second.appendWritten(Self.starts(160..<200))
        try second.close()
        let checkpointing = try LogReader(directory: directory.path, persistsIndexes: true)
        try checkpointing.persistIndexes()
        let third = try LogWriter.open(directory: directory.path, options: big)
        try third.appendWritten(Self.starts(200..<230))
        try third.sync()

        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames.count >= 3)
        #expect(try reader.traceStarts(tag: "nightly").map(\.seq) == Self.scanned(directory.path, tag: "nightly"))
        #expect(try reader.traceStarts(tag: "nightly").count == 77)
        for trace in [1, 161, 229] {
            let entries = try reader.traceStarts(tag: "run-\(trace)")
            #expect(entries.map(\.traceID) == [TraceID(high: 7, low: UInt64(trace + 1))])
            #expect(entries.map(\.seq) == (try Self.scanned(directory.path, tag: "run-\(trace)")))
        }
        #expect(try reader.traceStarts(tag: "absent").isEmpty)
        try third.close()
    }

    /// A tag whose traces fill many trace-start blocks: its blocks are asked for together before they are read
    /// one by one. That is only a prefetch: the answer is the scan's, also with a block damaged (found by the
    /// read, and the index rebuilt from the segment).
    @Test func aTagAcrossManyTraceStartBlocksMatchesAFullScanAlsoWithABlockDamaged() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegment(
            in: directory, appends: (0..<30).map { Self.starts($0 * 100..<$0 * 100 + 100) },
            tail: SampleRecords.numbered(5, startingAt: 5000))
        let expected = try Self.scanned(directory.path, tag: "nightly")
        #expect(expected.count == 1000)
        #expect(try LogReader(directory: directory.path).traceStarts(tag: "nightly").map(\.seq) == expected)

        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let entry = try #require(LogTestSupport.sectionEntry(SegmentIndexFile.traceStartsSection, in: file))
        let (offset, count) = file.withUnsafeBytes { raw in
            (
                Int(raw.loadLittleEndian(at: entry + 8, as: UInt64.self)),
                Int(raw.loadLittleEndian(at: entry + 4, as: UInt32.self))
            )
        }
        let blocks = (count + SegmentIndexFile.traceStartBlockEntries - 1) / SegmentIndexFile.traceStartBlockEntries
        #expect(blocks > 40, "the tag's traces span many blocks")
        let victim =
            offset + blocks * BlockedTable.blockTableEntrySize
            + (20 * SegmentIndexFile.traceStartBlockEntries + 5) * SegmentIndexFile.traceStartEntrySize + 9
        try LogTestSupport.flipBit(path, at: Int64(victim))

        let reader = try LogReader(directory: directory.path)
        #expect(try reader.traceStarts(tag: "nightly").map(\.seq) == expected)
        let rebuilt = try reader.loadedSegments().first?.state.withLock { $0.rebuiltBecause }
        #expect(rebuilt?.contains("trace-start block 20") == true, "\(String(describing: rebuilt))")
    }
}
