import Foundation
import Testing

@testable import TraceLogStorage

/// The writer's process indexes what it appended from the written payloads (``LogReader/absorb(_:)``), one batch
/// per hold of the segment's lock: whatever the appends and rolls, it must answer as a reader that scanned the
/// files.
@Suite struct AbsorbTests {
    @Test func absorbedAppendsThatRollSegmentsAnswerAsAScan() throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 8 << 10))
        let absorbing = try LogReader(directory: directory.path, persistsIndexes: true)
        var first = 0
        // Appends of several batches each, some of which roll the segment part way through.
        for size in [1, 7, 150, 3, 400, 64, 900, 2] {
            var records = SampleRecords.numbered(size, startingAt: first)
            let written = try writer.appendWrittenHandingOff(&records)
            try absorbing.absorb(written.written)
            first += size
        }
        try writer.close()
        #expect(absorbing.segmentNames.count > 3, "the test needs appends that roll segments")
        let scanning = try LogReader(directory: directory.path)
        #expect(absorbing.endSeq == scanning.endSeq)
        for number in stride(from: 0, to: first, by: 13) {
            let key = "ex-\(number)"
            let absorbed = try absorbing.records(.execution, key: key).map(\.seq)
            #expect(absorbed == (try scanning.records(.execution, key: key).map(\.seq)), "\(key)")
            #expect(absorbed.count == 1, "\(key)")
        }
        let trace = TraceID(high: 1, low: 42)
        #expect(try absorbing.records(inTrace: trace).map(\.seq) == (try scanning.records(inTrace: trace).map(\.seq)))
    }
}
