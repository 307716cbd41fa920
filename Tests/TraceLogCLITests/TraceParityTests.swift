import Foundation
import Testing

/// Issue 18, CLI: outcomes in `trace list` and `trace get`, `--failed`, st2's short flags and output flags
/// (`-c -e -r -g`, `-j`, `-y`, `-a`, `-s ascending`), ids by prefix or tag, relative times, `--version`, one error
/// style with exit status 64 for usage and 1 for not found, the footer on stderr, sequence numbers, `run events`
/// with status.
@Suite struct TraceParityTests {
    /// Two traces: `good` (an execution that succeeded) and `bad` (a rule cascade whose execution failed twice).
    static let lines = """
        {"type":"execution","id":"ex-good","time":"2026-11-22T09:00:00Z","action":"ci.lint","status":"succeeded","trace":{"tag":"good"}}
        {"type":"trigger_instance","id":"ti-bad","time":"2026-11-22T10:00:00Z","trigger":"core.st2.webhook","source":"webhook","payload":{"ref":"main"},"trace":{"tag":"bad"}}
        {"type":"rule_enforcement","id":"re-bad","time":"2026-11-22T10:00:01Z","rule":{"id":"r-1","ref":"ci.on_push"},"trigger_instance":"ti-bad","execution":"ex-bad"}
        {"type":"execution","id":"ex-bad","time":"2026-11-22T10:00:02Z","action":"ci.build","status":"running","caused_by":{"type":"rule","id":"re-bad"}}
        {"type":"execution","id":"ex-bad","time":"2026-11-22T10:00:03Z","action":"ci.build","status":"failed","failure":"RECOVERABLE","failure_message":"flaky"}
        {"type":"execution","id":"ex-bad","time":"2026-11-22T10:00:04Z","action":"ci.build","attempt":2,"status":"failed","failure":"TERMINAL","failure_message":"broken"}

        """

    func filled() async throws -> TemporaryLog {
        let log = TemporaryLog()
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: Self.lines)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return log
    }

    @Test func listShowsOutcomesAndFiltersFailedTraces() async throws {
        let log = try await filled()
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path])
        #expect(list.status == 0)
        let rows = list.stdout.split(separator: "\n")
        #expect(
            rows[0].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } == [
                "id", "tag", "start_time", "outcome", "components",
            ])
        #expect(rows[2].contains("| bad ") && rows[2].contains("| failed "))
        #expect(rows[3].contains("| good ") && rows[3].contains("| succeeded "))
        let failed = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--failed", "-j"])
        let page = try #require(failed.json as? [String: Any])
        #expect(page["total"] as? Int == 1)
        #expect(((page["traces"] as? [[String: Any]])?.first?["outcome"] as? String) == "failed")
    }

    @Test func st2ShortFlagsAttributesAndYAML() async throws {
        let log = try await filled()
        for flags in [["-c", "bad"], ["-e", "ex-bad"], ["-r", "ci.on_push"], ["-g", "ti-bad"]] {
            let run = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "-j"] + flags)
            #expect(run.status == 0, "\(flags): \(run.stderr)")
            #expect(((run.json as? [String: Any])?["total"] as? Int) == 1, "\(flags)")
        }
        let ascending = try await CLIRun.tracelog([
            "trace", "list", "--log", log.path, "-s", "ascending", "-a", "tag", "outcome",
        ])
        #expect(ascending.stdout == "tag  | outcome\n-----+----------\ngood | succeeded\nbad  | failed\n")
        let yaml = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "-y", "-a", "tag", "-n", "1"])
        #expect(yaml.stdout == "\"total\": 2\n\"traces\":\n  - \"tag\": \"bad\"\n")
        #expect(
            yaml.stderr == "1 of 2 traces shown (use -n/--last and --offset to see more)\n", "the footer is on stderr")
        let bad = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "-a", "colour"])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("error: -a/--attr: expected all or one of id, tag,"))
    }

    @Test func getTakesATagOrAnIDPrefixAndShowsOutcomesAndSequenceNumbers() async throws {
        let log = try await filled()
        let byTag = try await CLIRun.tracelog([
            "trace", "get", "bad", "--log", log.path, "-a", "id", "seq", "outcome", "attempts",
        ])
        #expect(byTag.status == 0, "\(byTag.stderr)")
        let lines = byTag.stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("trace: ") && lines[0].hasSuffix("outcome: failed"))
        #expect(
            lines[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } == [
                "id", "seq", "outcome", "attempts",
            ])
        #expect(
            lines.last?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } == [
                "ex-bad", "5", "TERMINAL", "2",
            ])
        let id = String(lines[0].dropFirst("trace: ".count).prefix(32))
        let byPrefix = try await CLIRun.tracelog(["trace", "get", String(id.prefix(8)), "--log", log.path, "-j"])
        #expect((byPrefix.json as? [String: Any])?["id"] as? String == id)
        let components = try #require((byPrefix.json as? [String: Any])?["components"] as? [[String: Any]])
        let execution = try #require(components.last)
        #expect(execution["outcome"] as? String == "TERMINAL")
        #expect(
            (execution["attempts"] as? [[String: Any]])?.map { $0["failure"] as? String } == [
                "RECOVERABLE", "TERMINAL",
            ])
        // The replay from a shown sequence number starts there.
        let replay = try await CLIRun.tracelog(["replay", "--log", log.path, "--from", "5"])
        #expect(replay.stdout.split(separator: "\n").count == 3, "ex-bad's three records")
    }

    @Test func timesAreDatesOrAgo() async throws {
        let log = try await filled()
        let date = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--since", "2026-11-22", "-j"])
        #expect(((date.json as? [String: Any])?["total"] as? Int) == 2)
        let recent = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--since", "1h", "-j"])
        #expect(((recent.json as? [String: Any])?["total"] as? Int) == 0, "the traces are from 2026-11-22")
        let bad = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--since", "lately"])
        #expect(bad.status == 64)
        #expect(
            bad.stderr
                == "error: --since: expected an RFC 3339 time like 2026-11-22T10:00:00Z, a date like 2026-11-22, or a time ago like 30m, 1h or 7d, got lately\n"
        )
    }

    @Test func versionErrorsAndExitStatuses() async throws {
        let version = try await CLIRun.tracelog(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
        let usage = try await CLIRun.tracelog(["trace", "list", "--bogus"])
        #expect(usage.status == 64)
        #expect(usage.stderr.hasPrefix("error: Unknown option '--bogus'"))
        let both = try await CLIRun.tracelog(["trace", "get", "x", "-e", "a", "-r", "b"])
        #expect(both.status == 64)
        #expect(both.stderr == "error: use at most one of -e/--execution, -r/--rule and -g/--trigger-instance\n")
        let log = try await filled()
        let missing = try await CLIRun.tracelog(["trace", "get", "nothing-like-this", "--log", log.path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: trace nothing-like-this not found\n")
        let noRun = try await CLIRun.tracelog(["run", "events", "nope", "--log", log.path])
        #expect(noRun.status == 1)
        #expect(noRun.stderr == "error: run nope not found\n")
    }

    @Test func runEventsShowStatusAndSeq() async throws {
        let log = try await filled()
        let events = try await CLIRun.tracelog(["run", "events", "bad", "--log", log.path])
        let rows = events.stdout.split(separator: "\n").map {
            $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(rows[1] == ["seq", "node", "attempt", "time", "status", "duration_ms", "failure", "failure_message"])
        #expect(rows.dropFirst(3).map { $0[4] } == ["running", "failed", "failed"])
        #expect(rows.dropFirst(3).map { $0[0] } == ["5", "6", "7"])
        let json = try await CLIRun.tracelog(["run", "events", "bad", "--log", log.path, "-j", "--failures"])
        let attempts = try #require(json.json as? [[String: Any]])
        #expect(attempts.map { $0["seq"] as? Int } == [6, 7])
        #expect(
            Set(attempts[0].keys) == [
                "seq", "execution_id", "node_id", "run_id", "attempt", "time", "duration_ms", "status", "failure",
                "failure_message", "input", "output",
            ])
    }

    @Test func statsJSONComesFromTheLibrary() async throws {
        let log = try await filled()
        let stats = try await CLIRun.tracelog(["stats", "--log", log.path, "--json"])
        let object = try #require(stats.json as? [String: Any])
        #expect(object["records"] as? Int == 8)
        #expect(object["traces"] as? Int == 2)
        #expect(object["oldest_record_time"] as? String == "2026-11-22T09:00:00.000000Z")
        #expect(object["newest_record_time"] as? String == "2026-11-22T10:00:04.000000Z")
        #expect(object["compression_ratio"] is Double || object["compression_ratio"] is Int)
    }
}
