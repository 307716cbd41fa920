import Foundation
import Testing

/// End-to-end: the real `tracelog` binary, its exit statuses, its stderr, and the JSON contract of README.md.
@Suite struct TraceCommandTests {
    static let cascade = """
        {"type":"execution","id":"ae1","time":"2026-11-22T10:00:00Z","action":"core.local","trace":{"tag":"connected"}}
        {"type":"trigger_instance","id":"ti1","time":"2026-11-22T10:00:01Z","trigger":"core.st2.generic.actiontrigger","source":"action_trigger","caused_by":{"type":"execution","id":"ae1"}}
        {"type":"rule_enforcement","id":"re1","time":"2026-11-22T10:00:02Z","rule":{"id":"r-1","ref":"pack.next"},"trigger_instance":"ti1","execution":"ae2"}
        {"type":"execution","id":"ae2","time":"2026-11-22T10:00:03Z","action":"core.http","caused_by":{"type":"rule","id":"re1"}}
        {"type":"trigger_instance","id":"ti2","time":"2026-11-22T10:00:04Z","trigger":"core.st2.generic.actiontrigger","source":"action_trigger","caused_by":{"type":"execution","id":"ae2"}}

        """

    @Test func traceGetJSONFollowsTheContract() async throws {
        let log = TemporaryLog()
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: Self.cascade)
        #expect(ingest.status == 0)
        #expect(ingest.stdout == "5 ingested, 0 rejected\n")
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--json"])
        let page = try #require(list.json as? [String: Any])
        #expect(page["total"] as? Int == 1)
        let listed = try #require((page["traces"] as? [[String: Any]])?.first)
        #expect(
            Set(listed.keys) == ["id", "tag", "start_time", "engine", "outcome", "failed_executions", "components"])
        let id = try #require(listed["id"] as? String)

        let get = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path, "--json"])
        #expect(get.status == 0)
        let trace = try #require(get.json as? [String: Any])
        #expect(trace["tag"] as? String == "connected")
        #expect(trace["start_time"] as? String == "2026-11-22T10:00:00.000000Z")
        let components = try #require(trace["components"] as? [[String: Any]])
        #expect(components.map { $0["id"] as? String } == ["ae1", "ti1", "re1", "ae2", "ti2"])
        #expect(
            components.map { $0["type"] as? String } == [
                "execution", "trigger_instance", "rule", "execution", "trigger_instance",
            ])
        #expect(
            Set(components[0].keys) == [
                "id", "type", "ref", "time", "seq", "caused_by", "outcome", "status", "failure", "attempts",
            ])
        #expect(components[0]["caused_by"] is NSNull)
        #expect(Set(components[2].keys) == ["id", "type", "ref", "time", "seq", "caused_by", "rule_id"])
        #expect(components[2]["rule_id"] as? String == "r-1")
        #expect((components[3]["caused_by"] as? [String: String]) == ["type": "rule", "id": "re1"])

        let hidden = try await CLIRun.tracelog([
            "trace", "get", id, "--log", log.path, "--json", "--hide-noop-triggers",
        ])
        let shown = try #require((hidden.json as? [String: Any])?["components"] as? [[String: Any]])
        #expect(shown.map { $0["id"] as? String } == ["ae1", "ti1", "re1", "ae2"])

        let chain = try await CLIRun.tracelog([
            "trace", "get", id, "--log", log.path, "-g", "ti1", "--effects", "--json",
        ])
        let effects = try #require((chain.json as? [String: Any])?["components"] as? [[String: Any]])
        #expect(effects.map { $0["id"] as? String } == ["ti1", "re1", "ae2", "ti2"])

        let two = try await CLIRun.tracelog(["trace", "get", id, id, "--log", log.path, "--json"])
        #expect((two.json as? [Any])?.count == 2, "several ids give an array")
    }

    @Test func anUnknownTraceExitsOneWithAMessage() async throws {
        let log = TemporaryLog()
        _ = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: Self.cascade)
        let missing = "0123456789abcdef0123456789abcdef"
        let get = try await CLIRun.tracelog(["trace", "get", missing, "--log", log.path])
        #expect(get.status == 1)
        #expect(get.stderr == "error: trace \(missing) not found\n")
    }

    @Test func badLinesAreReportedByNumberAndWriteNothing() async throws {
        let log = TemporaryLog()
        let input = """
            {"type":"execution","id":"ok-1","action":"a","trace":{"tag":"t"}}
            {"type":"execution","id":"bad","action":
            {"type":"execution","id":"ok-2","action":"a","caused_by":{"type":"execution","id":"ok-1"}}
            {"type":"execution","id":"orphan","action":"a","caused_by":{"type":"rule","id":"nope"}}
            {"type":"gizmo","id":"x"}

            """
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: input)
        #expect(ingest.status == 1)
        #expect(ingest.stdout == "2 ingested, 3 rejected\n")
        let lines = ingest.stderr.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("line 2: "))
        #expect(lines[1] == "line 4: no trace found for rule nope")
        #expect(lines[2].hasPrefix("line 5: "))
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--json"])
        let traces = try #require((list.json as? [String: Any])?["traces"] as? [[String: Any]])
        #expect(traces.count == 1)
        #expect((traces[0]["components"] as? [Any])?.count == 2)

        let stopping = TemporaryLog()
        let stopped = try await CLIRun.tracelog(
            ["ingest", "--log", stopping.path, "--stop-on-error", "-"], stdin: input)
        #expect(stopped.status == 1)
        #expect(stopped.stdout == "1 ingested, 1 rejected\n")
    }

    @Test func replayIntoAnEmptyLogReproducesEveryTrace() async throws {
        let source = TemporaryLog()
        let generated = try await CLIRun.run(tool: "tracelog-workload", ["--seed", "11", "--count", "3000"])
        #expect(generated.status == 0)
        #expect(try await CLIRun.tracelog(["ingest", "--log", source.path, "-"], stdin: generated.stdout).status == 0)
        let replay = try await CLIRun.tracelog(["replay", "--log", source.path])
        let copy = TemporaryLog()
        #expect(try await CLIRun.tracelog(["ingest", "--log", copy.path, "-"], stdin: replay.stdout).status == 0)
        let original = try await CLIRun.tracelog(["trace", "list", "--log", source.path, "-n", "-1", "--json"])
        let reproduced = try await CLIRun.tracelog(["trace", "list", "--log", copy.path, "-n", "-1", "--json"])
        #expect(!original.stdout.isEmpty)
        #expect(original.stdout == reproduced.stdout)
        #expect(try await CLIRun.tracelog(["replay", "--log", copy.path]).stdout == replay.stdout)
        #expect(try await CLIRun.tracelog(["verify", "--log", copy.path]).status == 0)
    }
}

/// Issue 14 item 10: ids, tags and refs are user data; tables print their control characters escaped.
@Suite struct TraceTableEscapingTests {
    @Test func controlCharactersInIdsTagsAndRefsAreEscapedInTables() async throws {
        let log = TemporaryLog()
        let line =
            #"{"type":"execution","id":"ex\u001b[2J\r\nfake","time":"2026-11-22T10:00:00Z","action":"core\u001b]0;title\u0007","trace":{"tag":"tag\u001b[31m\nred"}}"#
        #expect(
            try await CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", "-"], stdin: line).status
                == 0)
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path])
        #expect(list.status == 0)
        let listLines = list.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(listLines.count == 4, "header, rule, one row, and the final newline")
        #expect(listLines[2].contains(#"tag\u001b[31m\nred"#))
        let id = try #require(listLines[2].split(separator: " ").first.map(String.init))
        let get = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path])
        #expect(get.status == 0)
        #expect(get.stdout.contains(#"tag: tag\u001b[31m\nred"#))
        #expect(get.stdout.contains(#"ex\u001b[2J\r\nfake"#))
        #expect(get.stdout.contains(#"core\u001b]0;title\u0007"#))
        for output in [list.stdout, get.stdout] {
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(!output.contains("\r"))
        }
        #expect(get.stdout.split(separator: "\n").count == 4, "title, header, rule, one row")
        let missing = try await CLIRun.tracelog(["trace", "get", "x\u{1B}[2J", "--log", log.path])
        #expect(missing.stderr == "error: trace x\\u001b[2J not found\n")
    }
}
