import Foundation
import Testing

@testable import TraceLogStorage

/// Opening a reader maps every sealed segment's index file and asks for its first page without waiting, so the
/// first lookup does not begin with that round of reads. What opening found must not outlive what is on disk:
/// an index file written after the open is used, not rebuilt around.
@Suite struct PreparedIndexFileTests {
    @Test func openingPreparesEachSealedSegmentsIndexFile() throws {
        let directory = TemporaryDirectory()
        _ = try LogTestSupport.sealedFirstSegment(in: directory, fiveRecordAppends: 20)
        let reader = try LogReader(directory: directory.path)
        let segments = reader.segments.withLock { $0 }
        #expect(segments.count == 2)
        let prepared = segments[0].state.withLock { $0.preparedIndex }
        guard case .success? = prepared else {
            Issue.record("the sealed segment's index file was not prepared at open: \(String(describing: prepared))")
            return
        }
        #expect(segments[1].state.withLock { $0.preparedIndex } == nil, "the last segment is loaded, not prepared")
        #expect(try reader.record(at: 42).record == SampleRecords.numbered(1, startingAt: 42)[0])
    }

    @Test func anIndexFileWrittenAfterTheOpenIsUsedNotRebuilt() throws {
        let directory = TemporaryDirectory()
        let path = try LogTestSupport.sealedFirstSegment(in: directory, fiveRecordAppends: 20)
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: path)
        let reader = try LogReader(directory: directory.path)
        try saved.write(to: URL(fileURLWithPath: path))

        #expect(try reader.record(at: 42).record == SampleRecords.numbered(1, startingAt: 42)[0])
        let segment = try #require(try reader.loadedSegments().first)
        let (rebuilt, isMapped) = segment.state.withLock { state -> (String?, Bool) in
            if case .mapped = state.index { return (state.rebuiltBecause, true) }
            return (state.rebuiltBecause, false)
        }
        #expect(rebuilt == nil, "rebuilt because: \(rebuilt ?? "")")
        #expect(isMapped, "the segment's index is read from the file written after the open")
    }
}
