import Foundation
import TraceLogStorage

/// A reader child of the `readers` run: reads the log over and over while the writer child appends, rolls
/// segments and deletes old ones, and checks after every pass that what it sees is a dense prefix of what was
/// appended.
///
/// Even passes open a new ``LogReader``; odd passes refresh one long-lived reader. Each pass scans the visible
/// range (at most `--window` records back from its end) comparing every record with the one appended under that
/// sequence number, and probes the indexes for random records: an execution-id lookup must give exactly that
/// record, a trace lookup exactly the visible records of its trace.
struct ReaderChild {
    let directory: String
    let options: Options

    struct Tally {
        var passes = 0
        var records = 0
        var lookups = 0
        var segments: Set<String> = []
        var maxStart: UInt64 = 0
        var maxEnd: UInt64 = 0
        var failures = 0
    }

    /// What one reader showed, for the checks that span passes.
    private struct Bounds {
        var start: UInt64 = 0
        var end: UInt64 = 0
    }

    /// Runs `--passes` passes; prints a `reader …` summary line and returns the number of failed passes.
    func run() -> Int {
        let passes = options.int("--passes", 1000)
        var generator = SplitMix64(seed: UInt64(options.int("--seed", 1)))
        var tally = Tally()
        var longLived: LogReader?
        var longLivedBounds = Bounds()
        var seenByAnyReader = Bounds()
        while tally.passes < passes {
            let fresh = tally.passes % 2 == 0
            do {
                let reader: LogReader
                if fresh || longLived == nil {
                    reader = try LogReader(directory: directory)
                } else {
                    reader = longLived!
                    try reader.refresh()
                }
                var problem = checkBounds(reader, against: seenByAnyReader)
                if problem == nil, !fresh, longLived != nil {
                    problem = checkBounds(reader, against: longLivedBounds)
                }
                if problem == nil { problem = try checkContents(reader, tally: &tally, generator: &generator) }
                if let problem { fail("pass \(tally.passes): \(problem)", tally: &tally) }
                let bounds = Bounds(start: reader.startSeq, end: reader.endSeq)
                seenByAnyReader = Bounds(
                    start: max(seenByAnyReader.start, bounds.start), end: max(seenByAnyReader.end, bounds.end))
                if longLived == nil { longLived = reader }
                if reader === longLived { longLivedBounds = bounds }
                tally.segments.formUnion(reader.segmentNames)
                tally.maxStart = max(tally.maxStart, bounds.start)
                tally.maxEnd = max(tally.maxEnd, bounds.end)
            } catch {
                fail("pass \(tally.passes) (\(fresh ? "new reader" : "refresh")): \(error)", tally: &tally)
            }
            tally.passes += 1
        }
        print(
            "reader passes \(tally.passes) records \(tally.records) lookups \(tally.lookups) "
                + "segments \(tally.segments.count) maxStart \(tally.maxStart) maxEnd \(tally.maxEnd) "
                + "failures \(tally.failures)")
        return tally.failures
    }

    private func fail(_ message: String, tally: inout Tally) {
        tally.failures += 1
        FileHandle.standardError.write(Data("reader \(directory): \(message)\n".utf8))
    }

    /// The visible range never moves back: the log only grows at the end and loses whole segments at the start.
    private func checkBounds(_ reader: LogReader, against earlier: Bounds) -> String? {
        let start = reader.startSeq
        let end = reader.endSeq
        if start > end { return "start \(start) is past end \(end)" }
        if end < earlier.end { return "end moved back from \(earlier.end) to \(end)" }
        if start < earlier.start { return "start moved back from \(earlier.start) to \(start)" }
        return nil
    }

    /// Scans the visible range (or its last `--window` records) and probes the indexes.
    private func checkContents(_ reader: LogReader, tally: inout Tally, generator: inout SplitMix64) throws
        -> String?
    {
        let window = UInt64(options.int("--window", 500))
        let start = reader.startSeq
        let end = reader.endSeq
        let from = max(start, end > window ? end - window : 0)
        var cursor = reader.cursor(from: from, to: end)
        var expected = from
        while let stored = try cursor.next() {
            guard stored.seq == expected else { return "the scan went from seq \(expected - 1) to \(stored.seq)" }
            guard stored.record == crashTestRecord(seq: stored.seq) else {
                return "record \(stored.seq) is not the record appended as seq \(stored.seq)"
            }
            expected += 1
            tally.records += 1
        }
        if expected != end { return "the scan from \(from) ended at \(expected), the reader's end is \(end)" }
        for _ in 0..<options.int("--lookups", 4) where end > start {
            let seq = start + generator.next() % (end - start)
            let byID = try reader.records(.execution, key: "ex-\(seq)").map(\.seq)
            if byID != [seq] { return "execution lookup of ex-\(seq) gave \(byID) (visible \(start)..<\(end))" }
            let group = crashTestTraceGroup(seq: seq)
            let inTrace = try reader.records(inTrace: TraceID(high: 7, low: group + 1)).map(\.seq)
            let visible = Array(max(start, group * 16)..<min(end, group * 16 + 16))
            if inTrace != visible {
                return "trace lookup of group \(group) gave \(inTrace), expected \(visible) (visible \(start)..<\(end))"
            }
            tally.lookups += 2
        }
        return nil
    }
}
