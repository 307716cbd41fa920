import Foundation
import Testing

/// The short kill -9 run of the suite: 30 SIGKILLs of a writer child in sync mode, during appends, segment
/// rolls, index sealing and retention. The long run is `tools/killtest.sh` (see README.md).
@Suite struct KillLoopTests {
    @Test func noAcknowledgedRecordIsLostAcrossThirtyKills() throws {
        let directory = TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ToolLocator.path(of: "tracelog-crashtest"))
        process.arguments = ["loop", directory.path, "--iterations", "30", "--seed", "7"]
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(summary)\(problems)")
        #expect(summary.contains("30 iterations"))
        #expect(summary.contains(" 0 lost"))
        #expect(summary.contains(" 0 failures"))
    }
}
