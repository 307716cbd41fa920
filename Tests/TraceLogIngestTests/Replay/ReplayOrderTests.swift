import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Issue 14 item 14: after retention deleted old segments, `replay | ingest` still reproduces every trace left,
/// those that straddle a deleted segment included.
@Suite struct ReplayOrderTests {
    static let old: Int64 = 1_700_000_000_000_000
    static let late: Int64 = 1_800_000_000_000_000

    /// A store with small segments: "gone" lies wholly in old segments, "straddles" starts there and goes on
    /// after them, "late" lies wholly after them, and old filler traces fill the old segments.
    private func purgedStore(_ path: String) async throws -> (WritableTraceStore, RetentionResult) {
        let store = try WritableTraceStore.open(
            directory: path, options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 512))
        func execution(_ id: String, _ time: Int64, tag: String? = nil, cause: String? = nil) -> IncomingEvent {
            IncomingEvent(
                body: .executionAttempt(
                    ExecutionAttempt(
                        id: id, action: "node.\(id)", causedBy: cause.map { EntityRef(type: .execution, id: $0) })),
                time: Timestamp(microseconds: time), trace: tag.map { TraceContext(tag: $0) })
        }
        _ = try await store.ingest([
            execution("g1", Self.old, tag: "gone"), execution("s1", Self.old, tag: "straddles"),
        ])
        for index in 0..<400 {
            _ = try await store.ingest([execution("f\(index)", Self.old + Int64(index), tag: "filler-\(index % 7)")])
        }
        _ = try await store.ingest([
            execution("s2", Self.late, cause: "s1"), execution("l1", Self.late, tag: "late"),
            execution("l2", Self.late + 1, cause: "l1"),
        ])
        let result = try await store.purge(before: Timestamp(microseconds: Self.late - 1))
        return (store, result)
    }

    @Test func replayAfterAPurgeReproducesEveryTraceLeft() async throws {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-replay-\(UUID())").path
        let copy = source + "-copy"
        defer { for path in [source, copy] { try? FileManager.default.removeItem(atPath: path) } }
        let (store, result) = try await purgedStore(source)
        defer { try? store.close() }
        #expect(!result.deletedSegments.isEmpty)
        #expect(result.carriedTraceStarts == 1, "only the straddling trace is carried")
        #expect(try store.traceID(of: EntityRef(type: .execution, id: "g1")) == nil)
        let straddlingID = try #require(try store.traceID(of: EntityRef(type: .execution, id: "s2")))
        let straddling = try #require(try store.trace(straddlingID))
        #expect(straddling.tag == "straddles")
        #expect(straddling.startTime == Timestamp(microseconds: Self.old), "the carried start keeps its time")
        #expect(try store.listTraces(TraceQuery(tag: "straddles")).total == 1)

        // Replay everything left, as `tracelog replay` does, and ingest it into an empty log.
        var lines: [String] = []
        var order = ReplayOrder(reader: store.reader)
        var cursor = store.reader.cursor(from: store.reader.startSeq)
        while let stored = try cursor.next() {
            try order.forEachRecord(toPrint: stored) { lines.append(NativeEventWriter().line(for: $0)) }
        }
        let parser = NativeEventParser()
        let events = try lines.enumerated().map { try parser.parse(line: Array($1.utf8), lineNumber: $0 + 1) }
        let target = try WritableTraceStore.open(directory: copy, options: LogOptions(durability: .none))
        defer { try? target.close() }
        let ingested = try await target.ingest(events, atomic: true)
        #expect(ingested.rejected.isEmpty, "\(ingested.rejected.map { "line \($0.index + 1): \($0.error)" })")
        let all = TraceQuery(limit: nil)
        let originals = try store.listTraces(all).traces
        let reproduced = try target.listTraces(all).traces
        #expect(originals.count == reproduced.count)
        #expect(Set(originals.map(\.id)) == Set(reproduced.map(\.id)))
        for trace in originals {
            let again = try #require(try target.trace(trace.id))
            #expect(again.tag == trace.tag)
            #expect(again.startTime == trace.startTime)
            #expect(again.components.map(\.id) == trace.components.map(\.id))
            #expect(again.components.map(\.causedBy) == trace.components.map(\.causedBy))
        }
        #expect(lines.filter { $0.contains(#""tag":"straddles""#) }.count == 1, "the carried start is printed once")
    }

    @Test func aSecondPassCarriesNothingAgainAndTracesStartedBeforeTheRangeGetNoTraceLine() async throws {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-replay-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: source) }
        let (store, _) = try await purgedStore(source)
        defer { try? store.close() }
        let again = try await store.purge(before: Timestamp(microseconds: Self.late - 1))
        #expect(again.deletedSegments.isEmpty && again.carriedTraceStarts == 0)
        // From the record of l2 on: its trace started before, so no `trace` line is printed for it, nor for the
        // straddling trace whose carried start comes after l2 (its records before l2 were replayed with it).
        let l2 = try #require(
            try store.reader.records(.execution, key: "l2").first?.seq)
        var order = ReplayOrder(reader: store.reader, from: l2)
        var printed: [Record] = []
        var cursor = store.reader.cursor(from: l2)
        while let stored = try cursor.next() { try order.forEachRecord(toPrint: stored) { printed.append($0) } }
        #expect(printed.map(\.body.entity) == [EntityRef(type: .execution, id: "l2")])
    }

    /// `tracelog replay` runs on zero-copy views: the view-based steps must print exactly the lines the record
    /// path prints, the carried start before its trace's first record included.
    @Test func stepsFromViewsPrintWhatTheRecordPathPrints() async throws {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-replay-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: source) }
        let (store, _) = try await purgedStore(source)
        defer { try? store.close() }
        let writer = NativeEventWriter()
        var fromRecords: [String] = []
        var recordOrder = ReplayOrder(reader: store.reader)
        var cursor = store.reader.cursor(from: store.reader.startSeq)
        while let stored = try cursor.next() {
            try recordOrder.forEachRecord(toPrint: stored) { fromRecords.append(writer.line(for: $0)) }
        }
        var fromViews: [String] = []
        var viewOrder = ReplayOrder(reader: store.reader)
        var steps: [ReplayOrder.Step] = []
        var scanner = store.reader.scanner(from: store.reader.startSeq)
        while let batch = try scanner.next() {
            try viewOrder.steps(for: batch, seqs: batch.seqs, into: &steps)
            var index = 0
            try batch.forEach { _, view throws(RecordDecodingError) in
                defer { index += 1 }
                var bytes: [UInt8] = []
                switch steps[index] {
                case .skip: return
                case .print: break
                case .printStartFirst(let start): fromViews.append(writer.line(for: start))
                }
                try writer.append(view, to: &bytes)
                fromViews.append(String(decoding: bytes.dropLast(), as: UTF8.self))
            }
        }
        #expect(fromViews.count > 20, "the records left after the purge")
        #expect(fromViews == fromRecords)
        #expect(fromViews.filter { $0.contains(#""tag":"straddles""#) }.count == 1)
    }
}
