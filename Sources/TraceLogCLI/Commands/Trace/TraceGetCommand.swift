import ArgumentParser
import TraceLog
import TraceLogStorage

/// `tracelog trace get NAME…`: traces and their components, by id, unique id prefix or tag.
struct TraceGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show traces and their components.")

    /// The members of a component object `-a` may name.
    static let attributes = [
        "id", "type", "ref", "time", "caused_by", "rule_id", "seq", "outcome", "status", "failure", "attempts",
    ]

    @OptionGroup var log: LogLocation
    @Argument(help: "Traces: an id, a unique id prefix (4+ hex characters), or a tag that names one trace.")
    var ids: [String]
    @Option(name: [.customShort("e"), .long], help: "Show the causation chain of this execution.") var execution:
        String?
    @Option(
        name: [.customShort("r"), .long],
        help: "Show the causation chain of this rule (enforcement id, rule id or ref).")
    var rule: String?
    @Option(
        name: [.customShort("g"), .customLong("trigger-instance")],
        help: "Show the causation chain of this trigger instance.")
    var triggerInstance: String?
    @Flag(help: "With -e/-r/-g: show everything downstream instead of the chain upstream.") var effects = false
    @Flag(name: .customLong("show-executions"), help: "Only executions.") var showExecutions = false
    @Flag(name: .customLong("show-rules"), help: "Only rules.") var showRules = false
    @Flag(name: .customLong("show-trigger-instances"), help: "Only trigger instances.") var showTriggerInstances = false
    @Flag(name: .customLong("hide-noop-triggers"), help: "Hide trigger instances that caused no rule enforcement.")
    var hideNoopTriggers = false
    @Option(help: "Show at most this many components (default: all).") var limit: Int?
    @Option(help: "Skip this many components first.") var offset = 0
    @Flag(help: "Print counts by type and outcome and the time span instead of the components.") var summary = false
    @OptionGroup var output: OutputFormatOption
    @OptionGroup var damage: DamageOption

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit: expected a count, got \(limit)") }
        if offset < 0 { throw ValidationError("--offset: expected a count, got \(offset)") }
        if summary,
            limit != nil || offset != 0 || execution != nil || rule != nil || triggerInstance != nil
                || showExecutions || showRules || showTriggerInstances || hideNoopTriggers || !output.attributes.isEmpty
        {
            throw ValidationError("--summary shows the whole trace: it takes no selection, --limit, --offset or -a")
        }
    }

    func run() async throws {
        try await reportingFailures {
            var types: Set<EntityType> = []
            if showExecutions { types.insert(.execution) }
            if showRules { types.insert(.rule) }
            if showTriggerInstances { types.insert(.triggerInstance) }
            let (execution, rule, triggerInstance, effects, hide) = (
                execution, rule, triggerInstance, effects, hideNoopTriggers
            )
            let selection = try checked { () throws(QueryError) in
                try ComponentSelection(
                    execution: execution, rule: rule, triggerInstance: triggerInstance, effects: effects,
                    types: types, hideNoopTriggers: hide)
            }
            let columns = try output.columns(
                defaults: ["id", "type", "ref", "time", "outcome", "caused_by"], available: Self.attributes)
            let store = try log.openReadOnly()
            if summary { return try printSummaries(store) }
            // Components are projected a page at a time: memory stays bounded for traces of any size.
            let (outputs, missing) = try answers(store) { traceID in
                try store.traceComponents(
                    traceID, selection: selection, offset: offset, limit: limit, damage: damage.policy)
            }
            if output.structured {
                printStructured(try outputs.map { page, damage in try structured(page).adding(damage: damage) })
            } else {
                for (index, (page, _)) in outputs.enumerated() {
                    if index > 0 { print("") }
                    print(
                        "trace: \(page.id)  tag: \(TerminalText.escaped(page.tag))  start: \(page.startTime)  "
                            + "outcome: \(page.outcome.rawValue)")
                    var table = TextTable(columns: columns)
                    table.rows = page.components.map { component in
                        let object = component.json
                        return columns.map { cellText(object[member: $0]) }
                    }
                    print(table.rendered())
                    if page.components.count < page.total {
                        printError(
                            "\(page.components.count) of \(page.total) components shown, from number \(page.offset + 1)"
                                + " (use --limit and --offset to see more)")
                    }
                }
            }
            for name in missing { printError("error: trace \(name) not found") }  // printError escapes the name
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }

    /// `--summary`: per trace, the counts by type and execution outcome, the time span and the total.
    private func printSummaries(_ store: TraceStore) throws {
        let (summaries, missing) = try answers(store) { try store.traceSummary($0, damage: damage.policy) }
        if output.structured {
            printStructured(summaries.map { $0.0.json.adding(damage: $0.1) })
        } else {
            for (index, (summary, _)) in summaries.enumerated() {
                if index > 0 { print("") }
                print(
                    "trace: \(summary.id)  tag: \(TerminalText.escaped(summary.tag))  engine: \(summary.engine.rawValue)"
                        + "  outcome: \(summary.outcome.rawValue)")
                print("start: \(summary.startTime)  end: \(summary.endTime)  records: \(summary.records)")
                let types = [EntityType.triggerInstance, .rule, .execution].map {
                    "\($0.name): \(summary.byType[$0] ?? 0)"
                }
                print("components: \(summary.components) (\(types.joined(separator: ", ")))")
                let outcomes = ExecutionOutcome.allCases.map {
                    "\($0.rawValue) \(summary.executionsByOutcome[$0] ?? 0)"
                }
                print("executions by outcome: \(outcomes.joined(separator: ", "))")
            }
        }
        for name in missing { printError("error: trace \(name) not found") }
        if !missing.isEmpty { throw ExitCode.failure }
    }

    /// Each named trace's answer with the damage that may hide part of it, and the names that match no trace; every
    /// damaged region is warned about once, on stderr.
    private func answers<Value: Sendable>(
        _ store: TraceStore, _ query: (TraceID) throws -> Answer<Value?>
    ) throws -> (found: [(Value, [DamagedRegion])], missing: [String]) {
        var found: [(Value, [DamagedRegion])] = []
        var missing: [String] = []
        var damaged: [DamagedRegion] = []
        for name in ids {
            guard let traceID = try TraceID(hex: name) ?? store.traceNamed(name)?.id else {
                missing.append(name)
                continue
            }
            let answer = try query(traceID)
            damaged += answer.damage.filter { !damaged.contains($0) }
            if let value = answer.value { found.append((value, answer.damage)) } else { missing.append(name) }
        }
        damage.warn(damaged)
        return (found, missing)
    }

    /// One object for one name, an array for several, as JSON or YAML.
    private func printStructured(_ values: [JSONValue]) {
        if ids.count == 1 {
            if let only = values.first { output.print(only) }
        } else {
            output.print(.array(values))
        }
    }

    /// The page object with its components narrowed to `-a`'s members.
    private func structured(_ page: TraceComponentPage) throws -> JSONValue {
        guard !output.attributes.isEmpty, case .object(var members) = page.json else { return page.json }
        let selected = try page.components.map { try output.selected($0.json, available: Self.attributes) }
        members.removeLast()
        members.append(("components", .array(selected)))
        return .object(members)
    }
}
