import Foundation
import Testing
import TraceLogTestSupport

/// `tracelog serve`'s refusals and `tracelog purge` beside a running server (issue 14 items 12 and 14).
@Suite struct ServeCommandTests {
    @Test func servingBeyondLoopbackWithoutATokenIsRefused() async throws {
        let log = TemporaryLog()
        let run = try await CLIRun.tracelog(["serve", "--log", log.path, "--host", "0.0.0.0", "--port", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("refusing to serve 0.0.0.0 without a token"))
        #expect(run.stderr.contains("--insecure-no-auth"))
        let badDuration = try await CLIRun.tracelog([
            "serve", "--log", log.path, "--port", "0", "--idle-timeout", "soon",
        ])
        #expect(badDuration.status != 0)
        #expect(badDuration.stderr.contains("--idle-timeout: expected a duration like 10s"))
    }

    @Test func purgeOnAServedLogSaysHowToPurgeThroughTheServer() async throws {
        let log = TemporaryLog()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: BuiltTool.path("tracelog"))
        server.arguments = ["serve", "--log", log.path, "--port", "0", "--durability", "none"]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // Wait for the banner: by then the server holds the writer lock.
        let banner = await ChildProcess.read(output) { $0.contains("listening on") }
        #expect(banner.contains("listening on"))
        let purge = try await CLIRun.tracelog(["purge", "--log", log.path, "--before", "2026-01-01T00:00:00Z"])
        #expect(purge.status == 1)
        #expect(purge.stderr.contains("POST /v1/purge"))
        #expect(purge.stderr.contains("--retention"))
    }
}
