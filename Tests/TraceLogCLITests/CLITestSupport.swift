import Foundation
import TraceLogTestSupport

/// Runs the built `tracelog` binary (next to the test bundle) and captures what it prints.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

    static func tracelog(_ arguments: [String], stdin: String? = nil) async throws -> CLIRun {
        try await run(tool: "tracelog", arguments, stdin: stdin)
    }

    /// Runs the built `tool` to its end, waited for off the cooperative pool (see `offThePool`).
    static func run(tool: String, _ arguments: [String], stdin: String? = nil) async throws -> CLIRun {
        let result = try await ChildProcess.run(BuiltTool.path(tool), arguments, stdin: stdin)
        return CLIRun(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// A temporary log directory path (created by the first `tracelog` write), removed at the end.
final class TemporaryLog: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "/tracelog-cli-\(UUID().uuidString)"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
