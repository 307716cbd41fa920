public import ArgumentParser

/// `tracelog`: the command-line interface. Flags mirror `st2 trace`; every command takes `--log DIR`.
public struct TraceLogCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tracelog",
        abstract: "An append-only trace log for workflow and automation engines.",
        subcommands: [
            IngestCommand.self, TraceCommand.self, RunCommand.self, DiffCommand.self, CompareCommand.self,
            HistoryCommand.self, ExportCommand.self, ReplayCommand.self, VerifyCommand.self, StatsCommand.self,
            PurgeCommand.self, ServeCommand.self,
            ForwardCommand.self,
        ])

    public init() {}
}
