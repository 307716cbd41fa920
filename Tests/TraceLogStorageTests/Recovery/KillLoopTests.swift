import Foundation
import Testing
import TraceLogTestSupport

/// The short kill -9 run of the suite: 30 SIGKILLs of a writer child in sync mode, during appends, segment
/// rolls, index sealing and retention. The long run is `tools/killtest.sh` (see README.md).
@Suite struct KillLoopTests {
    @Test func noAcknowledgedRecordIsLostAcrossThirtyKills() async throws {
        let directory = TemporaryDirectory()
        let run = try await ChildProcess.run(
            BuiltTool.path("tracelog-crashtest"), ["loop", directory.path, "--iterations", "30", "--seed", "7"])
        let summary = run.stdout
        #expect(run.status == 0, "\(summary)\(run.stderr)")
        #expect(summary.contains("30 iterations"))
        #expect(summary.contains(" 0 lost"))
        #expect(summary.contains(" 0 failures"))
    }
}
