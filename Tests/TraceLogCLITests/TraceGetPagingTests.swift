import Foundation
import Testing

/// End-to-end: `trace get --limit/--offset/--summary` with the real binary.
@Suite struct TraceGetPagingTests {
    private static func tracedLog() async throws -> (TemporaryLog, String) {
        let log = TemporaryLog()
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: TraceCommandTests.cascade)
        #expect(ingest.status == 0)
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--json"])
        let traces = try #require((list.json as? [String: Any])?["traces"] as? [[String: Any]])
        return (log, try #require(traces.first?["id"] as? String))
    }

    @Test func limitAndOffsetPageTheComponentsAndReportTheTotal() async throws {
        let (log, id) = try await Self.tracedLog()
        let json = try await CLIRun.tracelog([
            "trace", "get", id, "--log", log.path, "--json", "--limit", "2", "--offset", "1",
        ])
        #expect(json.status == 0)
        let trace = try #require(json.json as? [String: Any])
        #expect(trace["total"] as? Int == 5)
        #expect((trace["components"] as? [[String: Any]])?.map { $0["id"] as? String } == ["ti1", "re1"])

        let text = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path, "--limit", "2"])
        #expect(text.status == 0)
        // The footer goes to stderr, so stdout stays the table alone (issue 18).
        #expect(text.stderr.contains("2 of 5 components shown, from number 1 (use --limit and --offset to see more)"))
        #expect(!text.stdout.contains("components shown"))
        let whole = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path])
        #expect(!whole.stderr.contains("components shown"))
    }

    @Test func summaryCountsWithoutComponents() async throws {
        let (log, id) = try await Self.tracedLog()
        let json = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path, "--summary", "--json"])
        #expect(json.status == 0)
        let summary = try #require(json.json as? [String: Any])
        #expect(summary["components"] == nil)
        #expect(summary["total"] as? Int == 5 && summary["records"] as? Int == 6)
        #expect((summary["by_type"] as? [String: Int]) == ["trigger_instance": 2, "rule": 1, "execution": 2])
        #expect(summary["end_time"] as? String == "2026-11-22T10:00:04.000000Z")
        let text = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path, "--summary"])
        #expect(text.stdout.contains("components: 5 (trigger_instance: 2, rule: 1, execution: 2)"), "\(text.stdout)")
        #expect(text.stdout.contains("executions by outcome: success 2, pending 0"))
    }

    @Test func summaryTakesNoSelectionAndCountsMustBeCounts() async throws {
        let (log, id) = try await Self.tracedLog()
        for arguments in [
            ["--summary", "--limit", "1"], ["--summary", "-e", "ae1"], ["--limit", "-1"], ["--offset", "-3"],
        ] {
            let run = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path] + arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(!run.stderr.isEmpty)
        }
        let missing = try await CLIRun.tracelog(
            ["trace", "get", "0123456789abcdef0123456789abcdef", "--log", log.path, "--summary"])
        #expect(missing.status == 1 && missing.stderr.contains("not found"))
    }
}
