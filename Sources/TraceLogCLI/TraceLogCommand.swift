public import ArgumentParser
import Foundation
import TraceLog

/// `tracelog`: the command-line interface. Flags mirror `st2 trace`; every command takes `--log DIR`.
///
/// Exit statuses: 0 success; 1 a failure (not found, rejected input, damage, a failed check); 2 `compare` and
/// `history` when they cannot tell; 64 a usage error (a flag or argument the command cannot take).
public struct TraceLogCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tracelog",
        abstract: "An append-only trace log for workflow and automation engines.",
        version: TraceLogVersion.current,
        subcommands: [
            IngestCommand.self, TraceCommand.self, RunCommand.self, DiffCommand.self, CompareCommand.self,
            HistoryCommand.self, ExportCommand.self, ReplayCommand.self, VerifyCommand.self, StatsCommand.self,
            PurgeCommand.self, ServeCommand.self,
            ForwardCommand.self,
        ])

    public init() {}

    /// Parses the process's arguments, runs the command, and exits: help and `--version` on stdout with status 0;
    /// errors on stderr in one style, `error: <message>` (the argument parser's own usage errors too, followed by
    /// the usage line), with the statuses above. Usage errors of `compare` and `history` exit with status 2, not
    /// 64: their status 1 means "regressed" to a CI job, and 2 "could not tell".
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            var code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            let subcommand = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }
            if ["compare", "history"].contains(subcommand), code == .validationFailure { code = ExitCode(2) }
            if !message.isEmpty {
                let styled = message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message
                FileHandle.standardError.write(Data((styled + "\n").utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
