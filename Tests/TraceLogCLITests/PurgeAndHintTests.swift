import Foundation
import Testing

/// Issue 18: `purge --dry-run`, `purge` saying why nothing was deleted, and the `--format` hint of `ingest`.
@Suite struct PurgeAndHintTests {
    @Test func purgeSaysWhenOnlyTheActiveSegmentIsOld() async throws {
        let log = TemporaryLog()
        let line = #"{"type":"execution","id":"old","time":"2020-01-01T00:00:00Z","action":"a","trace":{"tag":"t"}}"#
        #expect(try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: line + "\n").status == 0)
        let dry = try await CLIRun.tracelog(["purge", "--log", log.path, "--before", "2021-01-01", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            dry.stdout == "dry run: 0 segments (0 records) would be deleted; the log would start at seq 0\n"
                + "nothing deleted: the records older than the cut-off are in the active segment, which retention never "
                + "deletes; it is sealed when it reaches its size limit, and a later purge deletes it then\n")
        let purge = try await CLIRun.tracelog(["purge", "--log", log.path, "--before", "30d"])
        #expect(purge.status == 0)
        #expect(purge.stdout.hasPrefix("0 segments (0 records) deleted; the log starts at seq 0\nnothing deleted: "))
        let recent = try await CLIRun.tracelog(["purge", "--log", log.path, "--before", "2019-01-01"])
        #expect(recent.stdout == "0 segments (0 records) deleted; the log starts at seq 0\n", "nothing is old")
    }

    @Test(arguments: [
        (#"[{"node_id": "a", "run_id": "r", "attempt": 1, "timestamp_utc": "2026-11-22T10:00:00+00:00"}]"#, "stroma"),
        (
            #"{"details": {"flow_name": "f"}, "event": "FLOW_START", "node": "w1", "time": "2026-11-22 10:00:00"}"#,
            "selinon"
        ),
        ("2026-11-22 10:00:00,000 SELINON w1 - FLOW_START : {}", "selinon"),
        (#"[{"id": "5f0", "trace_tag": "t", "action_executions": []}]"#, "st2"),
        (#"{"resourceSpans": [{"scopeSpans": []}]}"#, "otlp"),
    ])
    func aFileOfAnotherFormatGetsAHint(content: String, format: String) async throws {
        let log = TemporaryLog()
        let file = NSTemporaryDirectory() + "/tracelog-hint-\(UUID().uuidString).json"
        try Data((content + "\n").utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try await CLIRun.tracelog(["ingest", "--log", log.path, file])
        #expect(run.status == 1)
        let hint = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(hint.hasPrefix("hint: \(file) looks like "), "\(run.stderr)")
        #expect(hint.hasSuffix("; use --format \(format)"))
    }
}
