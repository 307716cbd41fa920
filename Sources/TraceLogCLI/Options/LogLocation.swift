import ArgumentParser
import Foundation
import TraceLog
import TraceLogStorage

/// `--log DIR`: the log directory; default `$TRACELOG_DIR`, else `./tracelog-data`.
struct LogLocation: ParsableArguments {
    @Option(name: .customLong("log"), help: "The log directory (default: $TRACELOG_DIR or ./tracelog-data).")
    var directory: String?

    var path: String {
        directory ?? ProcessInfo.processInfo.environment["TRACELOG_DIR"] ?? "./tracelog-data"
    }

    /// Opens the log for queries; a missing directory is an error, not an empty log.
    func openReadOnly() throws -> TraceStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("no log at \(path) (set --log or TRACELOG_DIR)")
        }
        return try TraceStore.openReadOnly(directory: path)
    }
}

/// `--durability sync|interval[:ms]|none`.
struct DurabilityOption: ParsableArguments {
    @Option(help: "When appends count as acknowledged: sync, interval[:MS] or none.")
    var durability: String = "sync"

    func parsed() throws -> Durability {
        guard let value = Durability(parsing: durability) else {
            throw CLIError("--durability: expected sync, interval, interval:<ms> or none, got \(durability)")
        }
        return value
    }
}

/// A failure the CLI reports on stderr as it is, then exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints to stderr.
///
/// The message may quote user data (ids, tags, file names), so its control characters are escaped
/// (``TerminalText/escaped(_:)``).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.escaped(message) + "\n").utf8))
}

/// Runs a command body, turning known failures into a message on stderr and exit status 1.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CLIError {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as LogError {
        printError("error: \(error)")
        if case .damaged = error {
            printError(
                "(tracelog verify lists the damage; trace list, trace get and stats answer from what is"
                    + " readable with --allow-damaged)")
        }
        throw ExitCode.failure
    }
}
