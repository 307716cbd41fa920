import ArgumentParser
import TraceLog
import TraceLogStorage

/// `tracelog trace list`: traces matching the filters, newest first, with their outcome.
struct TraceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List traces, newest first.")

    /// The members of a trace object `-a` may name.
    static let attributes = ["id", "tag", "start_time", "engine", "outcome", "failed_executions", "components"]

    @OptionGroup var log: LogLocation
    @Option(name: [.customShort("c"), .customLong("trace-tag")], help: "Only traces with this tag.") var tag: String?
    @Option(name: [.customShort("e"), .long], help: "Only traces containing this execution.") var execution: String?
    @Option(
        name: [.customShort("r"), .long], help: "Only traces containing this rule (enforcement id, rule id or ref).")
    var rule: String?
    @Option(
        name: [.customShort("g"), .customLong("trigger-instance")],
        help: "Only traces containing this trigger instance.")
    var triggerInstance: String?
    @Option(help: "Only traces that started at or after this time (RFC 3339, 2026-11-01, or ago: 30m, 1h, 7d).")
    var since: String?
    @Option(help: "Only traces that started at or before this time (as --since).") var until: String?
    @Flag(help: "Only traces with an execution whose last attempt failed.") var failed = false
    @Option(
        name: [.customShort("n"), .customLong("last")], parsing: .unconditional,
        help: "How many traces to show (-1: all).")
    var last = 50
    @Option(help: "Skip this many matching traces.") var offset = 0
    @Option(name: [.customShort("s"), .long], help: "Sort by start time: asc or desc (ascending, descending).")
    var sort = "desc"
    @OptionGroup var output: OutputFormatOption
    @OptionGroup var damage: DamageOption

    func run() async throws {
        try await reportingFailures {
            let request = TraceListRequest(
                tag: tag, execution: execution, rule: rule, triggerInstance: triggerInstance, since: since,
                until: until, limit: last, offset: offset, sort: sort, failedOnly: failed)
            let query = try checked { () throws(QueryError) in try TraceQuery(request) }
            let columns = try output.columns(
                defaults: ["id", "tag", "start_time", "outcome", "components"], available: Self.attributes)
            let answer = try log.openReadOnly().listTraces(query, damage: damage.policy)
            let page = answer.value
            damage.warn(answer.damage)
            if output.structured {
                let traces = try page.traces.map { try output.selected($0.json(), available: Self.attributes) }
                output.print(
                    JSONValue.object([("total", .int(Int64(page.total))), ("traces", .array(traces))])
                        .adding(damage: answer.damage))
            } else {
                var table = TextTable(columns: columns)
                table.rows = page.traces.map { trace in
                    let object = trace.json()
                    return columns.map { cellText(object[member: $0]) }
                }
                print(table.rendered())
            }
            if page.total > page.traces.count {
                printError(
                    "\(page.traces.count) of \(page.total) traces shown (use -n/--last and --offset to see more)")
            }
        }
    }
}
