import ArgumentParser
import TraceLog
import TraceLogStorage

/// `tracelog trace list|get`, mirroring `st2 trace`.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "List and show traces.",
        subcommands: [TraceListCommand.self, TraceGetCommand.self])
}

/// Parses an optional time given to `flag` (``TimeExpression``: RFC 3339, a date, or a time ago).
func parseTime(_ text: String?, flag: String) throws -> Timestamp? {
    guard let text else { return nil }
    guard let time = TimeExpression.parse(text) else {
        throw CLIUsageError("\(flag): expected \(TimeExpression.expected), got \(text)")
    }
    return time
}
