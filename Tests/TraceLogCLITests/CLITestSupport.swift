import Foundation

/// Runs the built `tracelog` binary (next to the test bundle) and captures what it prints.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

    static func tracelog(_ arguments: [String], stdin: String? = nil) throws -> CLIRun {
        try run(tool: "tracelog", arguments, stdin: stdin)
    }

    static func run(tool: String, _ arguments: [String], stdin: String? = nil) throws -> CLIRun {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(tool)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRun(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
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
