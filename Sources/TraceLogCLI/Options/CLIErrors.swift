import ArgumentParser
import Foundation
import TraceLog
import TraceLogStorage

/// A failure the CLI reports on stderr as `error: <message>`, then exits with status 1 (a trace, run or log not
/// found, a query that failed).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A usage error found after parsing (a flag value the library rejects): `error: <message>` and exit status 64,
/// as for the argument parser's own usage errors.
struct CLIUsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// The library's check, worded with the CLI's flag names.
    init(_ error: QueryError) { self.init(error.message(spelling: CLISpelling.flag)) }
}

/// How the CLI spells the library's query fields.
enum CLISpelling {
    static func flag(_ field: QueryField) -> String {
        switch field {
        case .tag: "-c/--trace-tag"
        case .execution: "-e/--execution"
        case .rule: "-r/--rule"
        case .triggerInstance: "-g/--trigger-instance"
        case .since: "--since"
        case .until: "--until"
        case .limit: "-n/--last"
        case .offset: "--offset"
        case .sort: "-s/--sort"
        case .effects: "--effects"
        case .node: "--node"
        case .attributes: "-a/--attr"
        }
    }
}

/// Runs a library check, turning its ``QueryError`` into a usage error that names the CLI's flag.
func checked<Value>(_ body: () throws(QueryError) -> Value) throws(CLIUsageError) -> Value {
    do {
        return try body()
    } catch {
        throw CLIUsageError(error)
    }
}

/// Prints to stderr.
///
/// The message may quote user data (ids, tags, file names), so its control characters are escaped
/// (``TerminalText/escaped(_:)``), line by line: a message of several lines (a list of the traces a tag names)
/// keeps its lines.
func printError(_ message: String) {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map {
        TerminalText.escaped(String($0))
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// Runs a command body, turning known failures into `error: <message>` on stderr and exit status 1 (64 for a
/// usage error).
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CLIError {
        printError("error: \(error.description)")
        throw ExitCode.failure
    } catch let error as CLIUsageError {
        printError("error: \(error.description)")
        throw ExitCode.validationFailure
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
