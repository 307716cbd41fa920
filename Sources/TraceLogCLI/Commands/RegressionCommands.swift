import ArgumentParser
import Foundation
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

/// `tracelog compare BASELINE CANDIDATE`: per node, slower / faster / same / unknown and worse / better / same /
/// unknown (TraceLogAnalysis's `RunSetComparison`). Exit status 0: no regression; 1: a node is slower or worse;
/// 2: usage error, empty selection or any other failure.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sets of runs node by node: slower? failing more often? real or noise?",
        discussion: """
            A run set is tag:GLOB (traces whose tag matches; * and ? wildcards) or trace:ID. Exit status: 0 when \
            no node is slower or worse, 1 when one is, 2 on a usage error or an empty selection.
            """)

    @OptionGroup var log: LogLocation
    @Argument(help: "The baseline runs: tag:GLOB or trace:ID.") var baseline: String
    @Argument(help: "The candidate runs: tag:GLOB or trace:ID.") var candidate: String
    @Option(help: "Family-wise significance level of each family of tests (Holm-corrected).") var alpha = 0.01
    @Option(
        name: .customLong("min-effect"),
        help: "Smallest change that matters: duration ratio away from 1, or failure rate in absolute points.")
    var minEffect = 0.05
    @OptionGroup var window: RunWindow
    @Option(name: .customLong("baseline-since"), help: "Narrows only the baseline (RFC 3339).") var baselineSince:
        String?
    @Option(name: .customLong("baseline-until"), help: "Narrows only the baseline (RFC 3339).") var baselineUntil:
        String?
    @Option(name: .customLong("candidate-since"), help: "Narrows only the candidate (RFC 3339).") var candidateSince:
        String?
    @Option(name: .customLong("candidate-until"), help: "Narrows only the candidate (RFC 3339).") var candidateUntil:
        String?
    @Flag(help: "Print the JSON report.") var json = false
    @Flag(help: "Print a markdown report (for a CI comment).") var markdown = false
    @Option(help: "Also write a self-contained HTML report with charts to FILE.") var html: String?

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown exclude each other") }
    }

    func run() async throws {
        let comparison = try await regressionCommand { () throws -> RunSetComparison in
            let store = try log.openReadOnly()
            let options = try ComparisonOptions(alpha: alpha, minEffect: minEffect).validated()
            let baselineSelector = try RunSelector(
                parsing: self.baseline,
                since: try parseTime(baselineSince, flag: "--baseline-since") ?? window.sinceTime(),
                until: try parseTime(baselineUntil, flag: "--baseline-until") ?? window.untilTime())
            let candidateSelector = try RunSelector(
                parsing: self.candidate,
                since: try parseTime(candidateSince, flag: "--candidate-since") ?? window.sinceTime(),
                until: try parseTime(candidateUntil, flag: "--candidate-until") ?? window.untilTime())
            let comparison = RunSetComparison(
                baseline: try store.runSet(baselineSelector), candidate: try store.runSet(candidateSelector),
                options: options)
            if let html { try writeReport(comparison.htmlReport(), to: html) }
            return comparison
        }
        for warning in comparison.warnings { printError("warning: \(warning)") }
        if json {
            print(comparison.json.serialized())
        } else if markdown {
            print(comparison.markdownReport(), terminator: "")
        } else {
            print(comparison.terminalReport(), terminator: "")
        }
        if comparison.regressions > 0 { throw ExitCode.failure }
    }
}

/// `tracelog history SELECTOR`: per node, its durations in start-time order and their change points.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Per node, the durations of a set of runs in start-time order and their change points.",
        discussion: "Exit status: 0, or 2 on a usage error or an empty selection.")

    @OptionGroup var log: LogLocation
    @Argument(help: "The runs: tag:GLOB or trace:ID.") var runs: String
    @Option(help: "Only this node.") var node: String?
    @OptionGroup var window: RunWindow
    @Flag(help: "Print the JSON report.") var json = false
    @Option(help: "Also write a self-contained HTML report with charts to FILE.") var html: String?

    func run() async throws {
        let history = try await regressionCommand { () throws -> RunHistory in
            let store = try log.openReadOnly()
            let selector = try RunSelector(parsing: runs, since: try window.sinceTime(), until: try window.untilTime())
            let history = try RunHistory(try store.runSet(selector), node: node)
            if let html { try writeReport(history.htmlReport(), to: html) }
            return history
        }
        print(json ? history.json.serialized() : history.terminalReport(), terminator: json ? "\n" : "")
    }
}

/// `--since` / `--until`: narrow run sets to traces that started in a time window.
struct RunWindow: ParsableArguments {
    @Option(help: "Only runs that started at or after this RFC 3339 time.") var since: String?
    @Option(help: "Only runs that started at or before this RFC 3339 time.") var until: String?

    func sinceTime() throws -> Timestamp? { try parseTime(since, flag: "--since") }
    func untilTime() throws -> Timestamp? { try parseTime(until, flag: "--until") }
}

/// Runs the body of `compare` or `history`: any failure is reported on stderr with exit status 2, so that exit
/// status 1 always means "a regression was found" to a CI job.
func regressionCommand<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as AnalysisError {
        printError(error.isUsageError ? "\(error)" : "error: \(error)")
    } catch let error as CLIError {
        printError(error.description)
    } catch let error as LogError {
        printError("error: \(error)")
    } catch {
        printError("error: \(error)")
    }
    throw ExitCode(2)
}

/// Writes an HTML report.
private func writeReport(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        throw CLIError("--html \(path): \(error.localizedDescription)")
    }
}
