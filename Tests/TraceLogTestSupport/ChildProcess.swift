public import Foundation

/// The package's built executables, found next to the running test binary.
public enum BuiltTool {
    /// The path of the executable product `name` (`tracelog`, `tracelog-crashtest`, …).
    public static func path(_ name: String) -> String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside a `.xctest` bundle directory on some platforms.
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(name).path
    }

    /// The directory holding the built executables.
    public static var directory: String { URL(fileURLWithPath: path("tracelog")).deletingLastPathComponent().path }
}

/// What a finished child process left: its exit status, how it ended, and everything it printed.
public struct ChildProcessResult: Sendable {
    public var status: Int32
    public var endedBySignal: Bool
    public var stdout: String
    public var stderr: String
}

/// Child processes that tests run to the end, waited for off the cooperative pool (see ``offThePool(_:)``).
public enum ChildProcess {
    /// Runs `executable` with `arguments` to its end. stdout and stderr are drained on threads of their own while
    /// `stdin` is written and closed, so neither side ever waits on a full pipe.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) async throws -> ChildProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        let stdinData = stdin.map { Data($0.utf8) }
        return try await offThePool {
            let out = PipeDrain(output.fileHandleForReading)
            let err = PipeDrain(errors.fileHandleForReading)
            if let stdinData { input.fileHandleForWriting.write(stdinData) }
            try input.fileHandleForWriting.close()
            let (printed, warned) = (out.finish(), err.finish())
            process.waitUntilExit()
            return ChildProcessResult(
                status: process.terminationStatus, endedBySignal: process.terminationReason == .uncaughtSignal,
                stdout: String(decoding: printed, as: UTF8.self), stderr: String(decoding: warned, as: UTF8.self))
        }
    }

    /// Waits until `process` has exited, off the cooperative pool.
    public static func waitForExit(_ process: Process) async {
        await offThePool { process.waitUntilExit() }
    }

    /// Reads `pipe` until `predicate` holds for the text read so far, the pipe closes, or `seconds` pass; returns
    /// the text. Off the cooperative pool.
    public static func read(
        _ pipe: Pipe, seconds: Double = 60, until predicate: @escaping @Sendable (String) -> Bool
    ) async -> String {
        let handle = pipe.fileHandleForReading
        return await offThePool {
            var text = ""
            let deadline = Date().addingTimeInterval(seconds)
            while !predicate(text), Date() < deadline {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
    }
}

/// Reads a pipe to its end on a thread of its own. `@unchecked`: `data` is written by that thread before it
/// signals, and read by ``finish()`` only after the signal.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
