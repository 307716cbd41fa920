import TraceLogStorage

/// (c) The index loader: the input is the index file of a sealed segment (see ``IndexFixture``), read through
/// a ``LogReader`` the way `trace list`, `trace get`, `verify` and `stats` read it.
///
/// A bad index must be rejected (and the index rebuilt from the segment) or, if it passes every check,
/// give answers that may be wrong but never a crash: lookups, reads by sequence number, a full cursor,
/// statistics and verification all run on it.
enum IndexTarget {
    /// More records than the fixture's log has, by far: a cursor that reads this many is not ending.
    static let cursorLimit = 100_000

    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var bytes = Array(input)
        Checksums.fillIndex(&bytes)
        let fixture = IndexFixture.shared
        try fixture.exclusively { () throws(Violation) in try read(through: bytes, fixture) }
    }

    private static func read(through bytes: [UInt8], _ fixture: IndexFixture) throws(Violation) {
        fixture.replaceIndex(with: bytes)
        let reader: LogReader
        do {
            reader = try LogReader(directory: fixture.directory)
        } catch {
            throw Violation(message: "the log does not open: \(error)")  // opening reads only the last segment
        }
        let starts = try? reader.traceStarts()
        try checkPages(reader, against: starts)
        for (kind, key) in FuzzSamples.lookups { _ = try? reader.records(kind, key: key) }
        for tag in 0..<3 { _ = try? reader.traceStarts(tag: "tag-\(tag)") }
        // What a page of `trace list` asks for ahead (hints anywhere, past the end too): prefetches only.
        reader.prefetchTraces(
            (0..<FuzzSamples.traceCount).map { (FuzzSamples.traceID($0), UInt64($0) &* 7 &+ ($0 == 0 ? .max - 1 : 0)) })
        for trace in 0..<FuzzSamples.traceCount {
            let id = FuzzSamples.traceID(trace)
            _ = try? reader.records(inTrace: id)
            _ = try? reader.containsTrace(id)
            _ = try? reader.traceStart(of: id)
            _ = try? reader.traceID(ofEntity: EntityRef(type: .execution, id: "ex-\(trace)"))
        }
        // Reading one record decodes its whole batch: a sample of seqs (every batch of the fixture, the edges and
        // past the end) costs far less than all of them, and the cursor below reads every record anyway.
        for seq in stride(from: 0, to: reader.endSeq + 2, by: 3) { _ = try? reader.record(at: seq) }
        _ = try? reader.record(at: max(reader.endSeq, 1) - 1)
        try readAll(reader)
        _ = try? reader.statistics()
        _ = try? reader.verify()
    }

    /// A page of trace starts (`trace list` without filters) must be what sorting them all gives, when the
    /// index gave them (`starts`) — a damaged table is rebuilt from the segment either way, so both agree.
    private static func checkPages(_ reader: LogReader, against starts: [TraceStartEntry]?) throws(Violation) {
        guard let starts else { return }
        for newestFirst in [true, false] {
            guard let page = try? reader.traceStartPage(limit: 3, newestFirst: newestFirst) else { continue }
            var sorted = starts.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }
            if newestFirst { sorted.reverse() }
            guard page.total == starts.count, page.starts == Array(sorted.prefix(3)) else {
                throw Violation(message: "a trace-start page differs from the sorted trace starts")
            }
        }
    }

    /// Reads every record with a cursor, skipping damaged batches as `tracelog replay` does.
    private static func readAll(_ reader: LogReader) throws(Violation) {
        var cursor = reader.cursor()
        for _ in 0..<cursorLimit {
            do {
                guard try cursor.next() != nil else { return }
            } catch {
                cursor.skipDamagedBatch()
            }
        }
        throw Violation(message: "a cursor over \(reader.endSeq) records did not end")
    }
}
