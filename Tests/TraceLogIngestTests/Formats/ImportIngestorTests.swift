import Foundation
import Synchronization
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// What `tracelog ingest --format stroma|selinon|st2` runs: reading a file, chunking, all-or-nothing lines and
/// elements, error messages.
@Suite("Importing files into a log")
struct ImportIngestorTests {
    /// Ingests `bytes` as `format`, returning the counts and the messages.
    static func ingest(
        _ bytes: [UInt8], as format: IngestFormat, into store: WritableTraceStore, stopOnError: Bool = false
    ) async throws -> (ingested: Int, rejected: Int, messages: [String]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-import-\(UUID())").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let messages = MessageLog()
        var pipeline = IngestPipeline(store: store, stopOnError: stopOnError) { messages.append($0) }
        pipeline.chunkUnits = 5
        let summary = try await pipeline.run(format, fileDescriptor: handle.fileDescriptor, name: path)
        return (summary.ingested, summary.rejected, messages.lines)
    }

    @Test("re-importing StackStorm traces writes nothing, not even an empty trace")
    func stackStormTwice() async throws {
        try await withTemporaryStore { store in
            let bytes = try Fixture.bytes("st2-traces.json")
            let first = try await Self.ingest(bytes, as: .st2, into: store.store)
            #expect(first.ingested == 19 && first.rejected == 0 && first.messages.isEmpty)
            let second = try await Self.ingest(bytes, as: .st2, into: store.store)
            #expect(second.ingested == 0 && second.rejected == 19)
            #expect(second.messages.last == "element 1: trace 0af7651916cd43dd8448eb211c80319c already exists")
            #expect(
                second.messages.first?.hasPrefix(
                    "element 0: trigger_instance 55d5069832ed35711cc4b08e already belongs to trace") == true)
            // Still exactly one trace with the tag: no orphan trace start was written.
            #expect(try store.store.traceNamed("git-commit-4c1e8d6a") != nil)
        }
    }

    @Test("a bad Selinon line is reported by number; the others are stored")
    func selinonBadLine() async throws {
        var lines = try Fixture.lines("selinon-flow.jsonl").map(\.text)
        lines.insert(#"{"details": {}, "event": "TASK_EXPLODED", "node": "w1", "time": "2026-01-01 00:00:00"}"#, at: 10)
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        try await withTemporaryStore { store in
            let result = try await Self.ingest(bytes, as: .selinon, into: store.store)
            #expect(result.messages == [#"line 11: field "event": unknown Selinon event "TASK_EXPLODED""#])
            #expect(result.rejected == 1)
            #expect(result.ingested == 68)
        }
        try await withTemporaryStore { store in
            let result = try await Self.ingest(bytes, as: .selinon, into: store.store, stopOnError: true)
            #expect(result.messages.count == 1 && result.rejected == 1)
            #expect(result.ingested > 0 && result.ingested < 68)
            #expect(
                try store.store.traceID(of: EntityRef(type: .execution, id: "0f6e2b8c-1111-4c1e-8d6a-5a3b1c2d0003"))
                    == nil)
        }
    }

    @Test("a Stroma document with a bad element writes nothing")
    func stromaBadElement() async throws {
        let good = try Fixture.text("stroma-flaky.json")
        let bad = String(good.dropLast()) + #", {"node_id": "x"}]"#
        try await withTemporaryStore { store in
            let result = try await Self.ingest(Array(bad.utf8), as: .stroma, into: store.store)
            #expect(result.messages == [#"element 3: field "run_id": missing"#])
            #expect(result.ingested == 0 && result.rejected == 1)
            #expect(try store.store.run("flaky-run-1") == nil)
        }
    }
}

/// Collects reported messages from a non-throwing closure.
final class MessageLog: Sendable {
    private let state = Mutex<[String]>([])
    var lines: [String] { state.withLock { $0 } }
    func append(_ line: String) { state.withLock { $0.append(line) } }
}
