import Foundation
import Testing

/// `tracelog serve`'s refusals and `tracelog purge` beside a running server (issue 14 items 12 and 14).
@Suite struct ServeCommandTests {
    @Test func servingBeyondLoopbackWithoutATokenIsRefused() throws {
        let log = TemporaryLog()
        let run = try CLIRun.tracelog(["serve", "--log", log.path, "--host", "0.0.0.0", "--port", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("refusing to serve 0.0.0.0 without a token"))
        #expect(run.stderr.contains("--insecure-no-auth"))
        let badDuration = try CLIRun.tracelog(["serve", "--log", log.path, "--port", "0", "--idle-timeout", "soon"])
        #expect(badDuration.status != 0)
        #expect(badDuration.stderr.contains("--idle-timeout: expected a duration like 10s"))
    }

    @Test func purgeOnAServedLogSaysHowToPurgeThroughTheServer() throws {
        let log = TemporaryLog()
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let server = Process()
        server.executableURL = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("tracelog")
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
        var banner = Data()
        while !String(decoding: banner, as: UTF8.self).contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            banner += chunk
        }
        #expect(String(decoding: banner, as: UTF8.self).contains("listening on"))
        let purge = try CLIRun.tracelog(["purge", "--log", log.path, "--before", "2026-01-01T00:00:00Z"])
        #expect(purge.status == 1)
        #expect(purge.stderr.contains("POST /v1/purge"))
        #expect(purge.stderr.contains("--retention"))
    }
}
