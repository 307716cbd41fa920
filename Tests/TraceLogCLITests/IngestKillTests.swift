import Foundation
import Testing
import TraceLogTestSupport

/// `tracelog ingest` killed with SIGKILL in `sync` mode: every event the progress line reported as ingested is
/// durable, and the log holds an exact prefix of the input, in input order.
@Suite(.serialized) struct IngestKillTests {
    /// Each kill comes this long after the first progress line (so after at least one acknowledged chunk).
    @Test(arguments: [0, 150, 400, 900])
    func whatProgressReportedSurvivesAKill(afterMilliseconds delay: Int) async throws {
        let log = TemporaryLog()
        let input = NSTemporaryDirectory() + "/tracelog-kill-input-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: input) }
        let generated = try await CLIRun.run(
            tool: "tracelog-workload", ["--seed", "\(delay)", "--count", "120000", "--output", input])
        #expect(generated.status == 0)
        let progress = try await killedIngest(of: input, into: log.path, after: .milliseconds(delay))
        let replay = try await CLIRun.tracelog(["replay", "--log", log.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        let stored = replay.stdout.split(separator: "\n").compactMap(Self.identity).filter { $0.type != "trace" }
        let lines = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n")
        let expected = lines.prefix(stored.count).compactMap(Self.identity)
        #expect(stored == expected, "the log is an exact prefix of the input, in order")
        #expect(progress > 0, "the kill came after progress was reported")
        #expect(stored.count >= progress, "reported \(progress) ingested, \(stored.count) in the log after the kill")
    }

    /// Runs `tracelog ingest --durability sync --progress`, kills it `delay` after its first progress line, and
    /// returns the last count of events its progress line showed.
    private func killedIngest(of input: String, into log: String, after delay: Duration) async throws -> Int {
        let errors = NSTemporaryDirectory() + "/tracelog-kill-stderr-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: errors, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltTool.path("tracelog"))
        process.arguments = ["ingest", "--log", log, "--durability", "sync", "--progress", input]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning,
            (try? String(contentsOfFile: errors, encoding: .utf8))?.contains(" events · ") != true
        {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: delay)
        let killed = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        await ChildProcess.waitForExit(process)
        #expect(killed, "ingest was still running when it was killed")
        let text = try String(contentsOfFile: errors, encoding: .utf8)
        // The progress line is rewritten in place: `\r\e[K1,234 events · …`; the last one counts.
        guard let last = text.components(separatedBy: "\r").last(where: { $0.contains(" events · ") }) else { return 0 }
        let digits = last.drop { !$0.isNumber }.prefix { $0.isNumber || $0 == "," }.filter(\.isNumber)
        return Int(String(digits)) ?? 0
    }

    /// A line's type and id (and attempt), what must match between the input and the log.
    private static func identity(_ line: Substring) -> Identity? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return nil
        }
        return Identity(
            type: object["type"] as? String ?? "", id: object["id"] as? String ?? "",
            attempt: object["attempt"] as? Int ?? 0, event: object["event"] as? String ?? "")
    }

    private struct Identity: Equatable {
        var type: String
        var id: String
        var attempt: Int
        var event: String
    }
}
