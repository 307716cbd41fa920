import Foundation
import Testing
import TraceLogTestSupport

/// Issue 18: `serve --log` on a missing directory says it created one; a port in use is named.
@Suite struct ServeStartupTests {
    @Test func aMissingLogDirectoryIsCreatedAndSaidAndAPortInUseIsNamed() async throws {
        let log = TemporaryLog()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: BuiltTool.path("tracelog"))
        server.arguments = ["serve", "--log", log.path, "--port", "0", "--durability", "none", "--access-log", "off"]
        let output = Pipe()
        let errors = Pipe()
        server.standardOutput = output
        server.standardError = errors
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let banner = await ChildProcess.read(output) { $0.contains("listening on") }
        let text = banner
        let port = try #require(
            text.firstMatch(of: /127\.0\.0\.1:(\d+)\//).map { String($0.output.1) }, "no port in: \(text)")
        let created = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        #expect(created.hasPrefix("tracelog serve: created the log directory \(log.path) (it did not exist)\n"))

        let other = TemporaryLog()
        let second = try await CLIRun.tracelog(["serve", "--log", other.path, "--port", port, "--access-log", "off"])
        #expect(second.status == 1)
        #expect(
            second.stderr.hasSuffix(
                "error: port \(port) on 127.0.0.1 is already in use (another server listens there); choose another "
                    + "with --port, or --port 0 for any free port\n"), "\(second.stderr)")
    }
}
