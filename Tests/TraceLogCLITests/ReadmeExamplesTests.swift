import Foundation
import Testing
import TraceLogTestSupport

/// Issue 18: every example of README.md's "Using it" block works as written, with the README's seed.
@Suite struct ReadmeExamplesTests {
    @Test func theUsingItBlockRuns() async throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "<!-- readme-example:start -->\n```sh\n"))
        let end = try #require(text.range(of: "```\n<!-- readme-example:end -->"))
        let block = String(text[start.upperBound..<end.lowerBound])
        let bin = BuiltTool.directory
        let directory = NSTemporaryDirectory() + "/tracelog-readme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each line echoed before it runs, so a failure names its line; any failing command fails the script.
        let script =
            "set -euo pipefail\nbin=\(bin)\ncd \(directory)\n"
            + block.split(separator: "\n").map { "echo \"+ $(cat <<'LINE'\n\($0)\nLINE\n)\" >&2\n\($0)" }
            .joined(separator: "\n")
        let run = try await ChildProcess.run(
            "/bin/bash", ["-c", script],
            environment: ProcessInfo.processInfo.environment.filter { $0.key != "TRACELOG_DIR" })
        let (out, err) = (run.stdout, run.stderr)
        #expect(run.status == 0, "stderr:\n\(err.suffix(3000))")
        // Each query printed what it was for.
        #expect(out.contains("core.st2.CronTimer-nightly-backup"))
        #expect(out.contains("| failed"))
        #expect(out.contains("6ae68107f74ef9765a486f36"))
        #expect(out.contains("ops.run_step"))
        #expect(out.contains("run: 26b6864f7298"))
        #expect(err.contains("deploy-10 matches 31 traces tagged deploy-10; name one by its trace id:\n  "))
        #expect(out.contains("dry run: "))
    }
}
