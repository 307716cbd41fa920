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
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        try await reportingFailures {
            guard let projection = try log.openReadOnly().run(run) else { throw CLIError("run \(run) not found") }
            var attempts = node.map { projection.events(for: $0) } ?? projection.attempts
            if failures { attempts = attempts.filter { $0.failure != nil } }
            if json {
                print(JSONValue.array(attempts.map(\.json)).serialized())
                return
            }
            print(
                "run: \(TerminalText.escaped(projection.runID ?? "-"))  trace: \(projection.traceID)  "
                    + "tag: \(TerminalText.escaped(projection.tag))")
            var table = TextTable(columns: ["node", "attempt", "time", "duration_ms", "failure", "failure_message"])
            table.rows = attempts.map { attempt in
                [
                    attempt.node, String(attempt.attempt), attempt.time.description,
                    attempt.durationMs.map { JSONValue.double($0).serialized() } ?? "", attempt.failure?.name ?? "",
                    attempt.failureMessage ?? "",
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

extension RunAttempt {
    /// `{"node_id","run_id","attempt","time","duration_ms","failure","failure_message","input","output"}`.
    var json: JSONValue {
        .object([
            ("node_id", .string(node)), ("run_id", .string(runID)), ("attempt", .int(Int64(attempt))),
            ("time", .string(time.description)), ("duration_ms", durationMs.map(JSONValue.double) ?? .null),
            ("failure", .string(failure?.name)), ("failure_message", .string(failureMessage)),
            ("input", input.map { .raw($0.text) } ?? .null), ("output", output.map { .raw($0.text) } ?? .null),
        ])
    }
}
