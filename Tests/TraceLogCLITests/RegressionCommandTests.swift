import Foundation
import Testing

/// `tracelog compare` and `tracelog history` end to end: the real binary, its exit statuses 0/1/2, stderr, and
/// the JSON contract; and the Stroma run-model fix as a user meets it.
@Suite struct RegressionCommandTests {
    /// Native lines of `count` runs tagged `<prefix>-<n>`, nodes `fetch` (~100 ms) and `parse` (~200 ms times
    /// `slowdown`), an hour apart from `hour`.
    static func runs(_ prefix: String, count: Int, hour: Int, slowdown: Double = 1) -> String {
        var lines: [String] = []
        for index in 0..<count {
            let noise = Double((index * 37) % 11) - 5
            let time =
                "2026-11-\(String(format: "%02d", 1 + (hour + index) / 24))T\(String(format: "%02d", (hour + index) % 24)):00:00Z"
            let tag = "\(prefix)-\(index)"
            lines.append(
                #"{"type":"execution","id":"\#(tag).fetch","time":"\#(time)","action":"fetch","duration_ms":\#(100 + noise),"trace":{"tag":"\#(tag)"}}"#
            )
            lines.append(
                #"{"type":"execution","id":"\#(tag).parse","time":"\#(time)","action":"parse","duration_ms":\#((200 + 2 * noise) * slowdown),"caused_by":{"type":"execution","id":"\#(tag).fetch"}}"#
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func log(slowdown: Double) async throws -> TemporaryLog {
        let log = TemporaryLog()
        let input =
            runs("base", count: 12, hour: 0, slowdown: 1) + runs("cand", count: 12, hour: 12, slowdown: slowdown)
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: input)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return log
    }

    @Test("compare: a slower node exits 1; terminal, JSON, markdown and HTML say which")
    func regression() async throws {
        let log = try await Self.log(slowdown: 1.5)
        let terminal = try await CLIRun.tracelog(["compare", "tag:base-*", "tag:cand-*", "--log", log.path])
        #expect(terminal.status == 1)
        #expect(terminal.stderr.isEmpty)
        let row = terminal.stdout.split(separator: "\n").first { $0.hasPrefix("+ ") }
        #expect(row?.contains("parse") == true && row?.contains("slower") == true, "\(terminal.stdout)")
        #expect(terminal.stdout.contains("1 regression: parse (slower)"))

        let json = try await CLIRun.tracelog(["compare", "tag:base-*", "tag:cand-*", "--log", log.path, "--json"])
        #expect(json.status == 1)
        let object = try #require(json.json as? [String: Any])
        #expect(object["regressions"] as? Int == 1)
        #expect((object["baseline"] as? [String: Any])?["runs"] as? Int == 12)
        let first = try #require((object["nodes"] as? [[String: Any]])?.first)
        #expect(first["node"] as? String == "parse")
        #expect((first["duration"] as? [String: Any])?["verdict"] as? String == "slower")

        let html = log.path + "-report.html"
        defer { try? FileManager.default.removeItem(atPath: html) }
        let markdown = try await CLIRun.tracelog([
            "compare", "tag:base-*", "tag:cand-*", "--log", log.path, "--markdown", "--html", html,
        ])
        #expect(markdown.status == 1)
        #expect(markdown.stdout.contains("| mark | node |"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && !page.contains("<script"))
    }

    @Test("compare: no regression exits 0; --alpha and --min-effect are used")
    func noRegression() async throws {
        let same = try await Self.log(slowdown: 1)
        let run = try await CLIRun.tracelog(["compare", "tag:base-*", "tag:cand-*", "--log", same.path, "--json"])
        #expect(run.status == 0, "\(run.stdout)")
        #expect((run.json as? [String: Any])?["regressions"] as? Int == 0)
        // The 1.5× slowdown is not a regression when only a 60% change matters, or at a tiny alpha.
        let slower = try await Self.log(slowdown: 1.5)
        for options in [["--min-effect", "0.6"], ["--alpha", "0.000000001"]] {
            let lenient = try await CLIRun.tracelog(
                ["compare", "tag:base-*", "tag:cand-*", "--log", slower.path] + options)
            #expect(lenient.status == 0, "\(options): \(lenient.stdout)")
            #expect(lenient.stdout.contains("no regressions"))
        }
    }

    @Test(
        "compare: usage errors and empty selections exit 2 with a message on stderr",
        arguments: [
            (["tag:nothing-*", "tag:cand-*"], "no runs match tag:nothing-*"),
            (["tag:base-*", "tag:cand-*", "--since", "2027-01-01T00:00:00Z"], "no runs match tag:base-* since"),
            (["base", "tag:cand-*"], "invalid run selector \"base\": expected tag:GLOB or trace:ID"),
            (["tag:base-*", "tag:cand-*", "--alpha", "2"], "alpha: expected 0 < alpha < 1, got 2.0"),
            (["tag:base-*", "tag:cand-*", "--bogus"], "Unknown option '--bogus'"),
            (["tag:base-*"], "Missing expected argument '<candidate>'"),
            (["tag:base-*", "tag:cand-*", "--json", "--markdown"], "--json and --markdown exclude each other"),
            (["tag:base-*", "tag:cand-*", "--until", "yesterday"], "--until: expected an RFC 3339 time"),
        ])
    func usageErrors(arguments: [String], message: String) async throws {
        let log = try await Self.log(slowdown: 1)
        let run = try await CLIRun.tracelog(["compare"] + arguments + ["--log", log.path])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("compare: a set of fewer than 5 runs is warned about on stderr")
    func smallSet() async throws {
        let log = try await Self.log(slowdown: 1)
        let run = try await CLIRun.tracelog(["compare", "tag:base-?", "tag:cand-1?", "--log", log.path])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: the candidate has 2 runs (fewer than 5)"), "\(run.stderr)")
    }

    @Test("history: the slowdown is a change point at the first candidate run; --node; exit 2 for a bad node")
    func history() async throws {
        let log = try await Self.log(slowdown: 1.5)
        let run = try await CLIRun.tracelog(["history", "tag:*", "--log", log.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let nodes = try #require((run.json as? [String: Any])?["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["node"] as? String } == ["fetch", "parse"])
        #expect((nodes[0]["change_points"] as? [Any])?.isEmpty == true)
        let change = try #require((nodes[1]["change_points"] as? [[String: Any]])?.first)
        #expect(change["index"] as? Int == 12)
        #expect(change["time"] as? String == "2026-11-01T12:00:00.000000Z")
        let one = try await CLIRun.tracelog(["history", "tag:*", "--node", "parse", "--log", log.path])
        #expect(one.status == 0 && one.stdout.contains("parse: 24 runs, 1 change point"))
        let missing = try await CLIRun.tracelog(["history", "tag:*", "--node", "nope", "--log", log.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("node: no selected run recorded a duration for node nope"))
    }

    @Test("the same Stroma export ingested twice: two traces, each exports byte for byte, a run id lists both")
    func stromaSameRunID() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TraceLogIngestTests/Fixtures/stroma-flaky.json")
        let document = try String(contentsOf: fixture, encoding: .utf8)
        let log = TemporaryLog()
        for _ in 0..<2 {
            let ingest = try await CLIRun.tracelog(["ingest", "--format", "stroma", "--log", log.path, fixture.path])
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
        let list = try await CLIRun.tracelog([
            "trace", "list", "--trace-tag", "run-flaky-run-1", "--log", log.path, "--json",
        ])
        let traces = try #require((list.json as? [String: Any])?["traces"] as? [[String: Any]])
        #expect(traces.count == 2)
        for trace in traces {
            let components = try #require(trace["components"] as? [[String: Any]])
            #expect(components.count == 1, "one execution per run, not a merged one")
            let id = try #require(trace["id"] as? String)
            let export = try await CLIRun.tracelog(["export", id, "--format", "stroma", "--log", log.path])
            #expect(export.stdout == document + "\n")
        }
        let ambiguous = try await CLIRun.tracelog(["run", "events", "flaky-run-1", "--log", log.path])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.hasPrefix("error: flaky-run-1 matches 2 traces tagged run-flaky-run-1"))
        for trace in traces { #expect(ambiguous.stderr.contains(trace["id"] as? String ?? "?")) }
    }
}
