import Foundation
import Testing

/// `tracelog ingest`'s messages about bad lines.
@Suite struct IngestCommandTests {
    static let input = """
        {"type":"execution","id":"ok-1","action":"a","trace":{"tag":"t"}}
        {"type":"execution","id":"bad","action":5}

        """

    @Test func aBadLineOfAFileIsReportedWithTheFileName() throws {
        let log = TemporaryLog()
        let file = log.path + "-events.jsonl"
        try Data(Self.input.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let named = try CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", file])
        #expect(named.status == 1)
        #expect(named.stderr == "\(file): line 2: field \"action\": expected a non-empty string, got 5\n")
        let piped = try CLIRun.tracelog(["ingest", "--log", log.path, "--durability", "none", "-"], stdin: Self.input)
        #expect(
            piped.stderr == "line 2: field \"action\": expected a non-empty string, got 5\n",
            "stdin has no name to give")
    }
}
