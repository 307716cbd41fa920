import ArgumentParser
import TraceLog
import TraceLogStorage

/// `tracelog run events RUN`: a run's attempts in recorded order (Stroma's trace, failures(), events_for()).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Show pipeline runs (Stroma model).", subcommands: [RunEventsCommand.self])
}

struct RunEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "A run's attempts in recorded order.")

    @OptionGroup var log: LogLocation
    @Argument(help: "The run: a trace id, a trace tag, or a Stroma run id (tag run-<id>).") var run: String
    @Option(help: "Only attempts of this node (Stroma's events_for).") var node: String?
    @Flag(help: "Only failed attempts (Stroma's failures()).") var failures = false
    @Flag(name: [.customShort("j"), .long], help: "Print a JSON array.") var json = false

    func run() async throws {
        try await reportingFailures {
            guard let projection = try log.openReadOnly().run(run) else { throw CLIError("run \(run) not found") }
            let attempts = projection.attempts(node: node, failuresOnly: failures)
            if json {
                print(JSONValue.array(attempts.map(\.json)).serialized())
                return
            }
            print(
                "run: \(TerminalText.escaped(projection.runID ?? "-"))  trace: \(projection.traceID)  "
                    + "tag: \(TerminalText.escaped(projection.tag))")
            var table = TextTable(columns: [
                "seq", "node", "attempt", "time", "status", "duration_ms", "failure", "failure_message",
            ])
            table.rows = attempts.map { attempt in
                [
                    String(attempt.seq), attempt.node, String(attempt.attempt), attempt.time.description,
                    attempt.status ?? "", attempt.durationMs.map { JSONValue.double($0).serialized() } ?? "",
                    attempt.failure?.name ?? "", attempt.failureMessage ?? "",
                ]
            }
            print(table.rendered())
        }
    }
}

/// `tracelog diff A B`: a structured comparison keyed by (node, attempt); exit 0 when equal, 1 when not.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two runs attempt by attempt (time and duration ignored).")

    @OptionGroup var log: LogLocation
    @Argument(help: "Run A (trace id, tag or run id).") var a: String
    @Argument(help: "Run B.") var b: String
    @Flag(name: .customLong("ignore-run-id"), help: "Do not compare run ids.") var ignoreRunID = false
    @Flag(help: "Print JSON: [{\"kind\",\"node_id\",\"attempt\",\"changes\":[{\"field\",\"a\",\"b\"}]}].") var json =
        false

    func run() async throws {
        try await reportingFailures {
            let store = try log.openReadOnly()
            guard let left = try store.run(a) else { throw CLIError("run \(a) not found") }
            guard let right = try store.run(b) else { throw CLIError("run \(b) not found") }
            let diff = RunDiff(left, right, ignoreRunID: ignoreRunID)
            if json {
                print(diff.json.serialized())
            } else if diff.isEmpty {
                print("runs are equal")
            } else {
                for entry in diff.entries {
                    let changes = entry.changes.map { "\($0.field): \($0.a.serialized()) → \($0.b.serialized())" }
                    print(
                        "\(entry.kind.rawValue) \(TerminalText.escaped(entry.node)) attempt \(entry.attempt)"
                            + (changes.isEmpty ? "" : ": ")
                            + changes.joined(separator: "; "))
                }
            }
            if !diff.isEmpty { throw ExitCode.failure }
        }
    }
}
