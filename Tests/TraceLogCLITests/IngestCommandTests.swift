import Foundation
import Testing

/// `tracelog ingest`'s messages about bad lines.
@Suite struct IngestCommandTests {
    static let input = """
        {"type":"execution","id":"ok-1","action":"a","trace":{"tag":"t"}}
        {"type":"execution","id":"bad","action":5}

        """

    @Test func aBadLineOfAFileIsReportedWithTheFileName() async throws {
        let log = TemporaryLog()
        let file = log.path + "-events.jsonl"
        try Data(Self.input.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let named = try await CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", file])
        #expect(named.status == 1)
        #expect(named.stderr == "\(file): line 2: field \"action\": expected a non-empty string, got 5\n")
        let piped = try await CLIRun.tracelog(
            ["ingest", "--log", log.path, "--durability", "none", "-"], stdin: Self.input)
        #expect(
            piped.stderr == "line 2: field \"action\": expected a non-empty string, got 5\n",
            "stdin has no name to give")
    }

    @Test func aResentTriggerInstanceIsSkippedAndAChangedOneIsRejectedNamingItsSeq() async throws {
        let log = TemporaryLog()
        let first =
            #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"t","payload":{"a":1}}"#
        let changed =
            #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"t","payload":{"a":2}}"#
        let other =
            #"{"type":"execution","id":"ex-1","action":"a","caused_by":{"type":"trigger_instance","id":"ti-1"}}"#
        let resent = try await CLIRun.tracelog(
            ["ingest", "--log", log.path, "--durability", "none", "-"],
            stdin: [first, other, first].joined(separator: "\n"))
        #expect(resent.status == 0)
        #expect(resent.stdout == "2 ingested, 0 rejected, 1 duplicates skipped\n")
        #expect(resent.stderr.isEmpty)
        // seq 0 is the trace start, seq 1 the trigger instance.
        let conflicting = try await CLIRun.tracelog(
            ["ingest", "--log", log.path, "--durability", "none", "-"], stdin: changed)
        #expect(conflicting.status == 1)
        #expect(conflicting.stdout == "0 ingested, 1 rejected\n")
        #expect(
            conflicting.stderr
                == "line 1: trigger_instance ti-1 is already recorded at seq 1 with a different content\n")
    }

    @Test func aCauseInAnotherTraceIsRejectedNamingBothTraces() async throws {
        let log = TemporaryLog()
        let setup = """
            {"type":"trigger_instance","id":"tiA","trigger":"t","trace":{"tag":"A"}}
            {"type":"execution","id":"exA","action":"a","caused_by":{"type":"trigger_instance","id":"tiA"}}
            {"type":"trigger_instance","id":"tiB","trigger":"t","trace":{"tag":"B"}}
            """
        #expect(
            try await CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", "-"], stdin: setup).status
                == 0)
        func traceID(_ tag: String) async throws -> String {
            let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--trace-tag", tag, "--json"])
            let traces = (list.json as? [String: Any])?["traces"] as? [[String: Any]]
            return try #require(traces?.first?["id"] as? String)
        }
        let traceA = try await traceID("A")
        let traceB = try await traceID("B")
        let link =
            #"{"type":"causation_link","entity":{"type":"execution","id":"exA"},"caused_by":{"type":"trigger_instance","id":"tiB"}}"#
        let run = try await CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", "-"], stdin: link)
        #expect(run.status == 1)
        #expect(run.stderr == "line 1: caused_by trigger_instance tiB belongs to trace \(traceB), not \(traceA)\n")
        let effects = try await CLIRun.tracelog([
            "trace", "get", traceA, "--log", log.path, "-g", "tiA", "--effects", "--json",
        ])
        let components = (effects.json as? [String: Any])?["components"] as? [[String: Any]]
        #expect(components?.map { $0["id"] as? String } == ["tiA", "exA"])
    }
}
