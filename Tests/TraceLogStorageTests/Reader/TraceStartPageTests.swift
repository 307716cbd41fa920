import Testing

@testable import TraceLogStorage

/// `traceStartPage(limit:newestFirst:times:)` picks a page of trace starts in one pass, keeping only a few pages'
/// worth. It must give what sorting every trace start gives — the same entries in the same order, and the same
/// count — over sealed segments (mapped index files), a checkpointed last segment with a tail in memory, times
/// out of sequence order across segments, and many traces sharing a start time.
@Suite struct TraceStartPageTests {
    /// A log of 600 trace starts over many small segments, with start times drawn from 40 values.
    private static func log(in directory: TemporaryDirectory) throws -> LogReader {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextTime() -> Timestamp {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Timestamp(microseconds: 1_700_000_000_000_000 + Int64(state >> 58) * 1000)
        }
        func starts(_ range: Range<Int>) -> [Record] {
            range.map { trace in
                Record(
                    time: nextTime(), traceID: TraceID(high: 9, low: UInt64(trace + 1)),
                    body: .traceStart(TraceStart(tag: "t-\(trace % 7)")))
            }
        }
        let sealed = try LogWriter.open(
            directory: directory.path, options: LogTestSupport.smallOptions(segmentMaxBytes: 900))
        for chunk in 0..<20 { try sealed.appendWritten(starts(chunk * 20..<chunk * 20 + 20)) }
        try sealed.close()
        // Sealed segments get index files; the last one a checkpoint, then a tail appended after it.
        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
        let tail = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        for chunk in 20..<30 { try tail.appendWritten(starts(chunk * 20..<chunk * 20 + 20)) }
        try tail.close()
        return try LogReader(directory: directory.path)
    }

    @Test func aPageIsWhatSortingEveryTraceStartGives() throws {
        let directory = TemporaryDirectory()
        let reader = try Self.log(in: directory)
        #expect(reader.segmentNames.count > 5)
        let all = try reader.traceStarts()
        #expect(all.count == 600)
        let times = all.map(\.time).sorted()
        let ranges: [ClosedRange<Int64>] = [
            .min ... .max, times[100]...times[400], times[250]...times[250], times[0]...times[0],
            (times[599] + 1)...Int64.max,
        ]
        for newestFirst in [true, false] {
            for range in ranges {
                var expected = all.filter { range.contains($0.time) }
                expected.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
                if newestFirst { expected.reverse() }
                for limit in [0, 1, 3, 17, 50, 599, 600, 5000] {
                    let page = try reader.traceStartPage(limit: limit, newestFirst: newestFirst, times: range)
                    let context = "newest first \(newestFirst), \(range), limit \(limit)"
                    #expect(page.total == expected.count, "\(context)")
                    #expect(page.starts == Array(expected.prefix(limit)), "\(context)")
                }
            }
        }
    }
}
