import ArgumentParser
import TraceLog
import TraceLogStorage

/// `tracelog trace list|get`, mirroring `st2 trace`.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "List and show traces.",
        subcommands: [TraceListCommand.self, TraceGetCommand.self])
}

struct TraceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List traces, newest first.")

    @OptionGroup var log: LogLocation
    @Option(name: .customLong("trace-tag"), help: "Only traces with this tag.") var tag: String?
    @Option(help: "Only traces containing this execution.") var execution: String?
    @Option(help: "Only traces containing this rule (enforcement id, rule id or ref).") var rule: String?
    @Option(name: .customLong("trigger-instance"), help: "Only traces containing this trigger instance.")
    var triggerInstance: String?
    @Option(help: "Only traces that started at or after this RFC 3339 time.") var since: String?
    @Option(help: "Only traces that started at or before this RFC 3339 time.") var until: String?
    @Option(
        name: [.customShort("n"), .customLong("last")], parsing: .unconditional,
        help: "How many traces to show (-1: all).")
    var last = 50
    @Option(help: "Skip this many matching traces.") var offset = 0
    @Option(name: [.customShort("s"), .long], help: "Sort by start time: asc or desc.") var sort = "desc"
    @Flag(help: "Print JSON: {\"total\": N, \"traces\": [...]}.") var json = false
    @OptionGroup var damage: DamageOption

    func run() async throws {
        try await reportingFailures {
            guard let order = TraceQuery.Order(rawValue: sort) else {
                throw CLIError("--sort: expected asc or desc, got \(sort)")
            }
            guard last >= -1 else { throw CLIError("-n/--last: expected -1 or a count, got \(last)") }
            guard offset >= 0 else { throw CLIError("--offset: expected a count, got \(offset)") }
            let query = TraceQuery(
                tag: tag, execution: execution, rule: rule, triggerInstance: triggerInstance,
                since: try parseTime(since, flag: "--since"), until: try parseTime(until, flag: "--until"),
                limit: last == -1 ? nil : last, offset: offset, order: order)
            let answer = try log.openReadOnly().listTraces(query, damage: damage.policy)
            let page = answer.value
            damage.warn(answer.damage)
            if json {
                print(page.json.adding(damage: answer.damage).serialized())
                return
            }
            var table = TextTable(columns: ["id", "tag", "start_time", "components"])
            table.rows = page.traces.map {
                [$0.id.description, $0.tag, $0.startTime.description, String($0.components.count)]
            }
            print(table.rendered())
            if page.total > page.traces.count {
                print("\(page.traces.count) of \(page.total) traces shown (use -n/--last and --offset to see more)")
            }
        }
    }
}

struct TraceGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show traces and their components.")

    @OptionGroup var log: LogLocation
    @Argument(help: "Trace ids.") var ids: [String]
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
    @Flag(help: "Print JSON: one object per trace, an array for several ids.") var json = false
    @Option(help: "Show at most this many components (default: all).") var limit: Int?
    @Option(help: "Skip this many components first.") var offset = 0
    @Flag(help: "Print counts by type and outcome and the time span instead of the components.") var summary = false
    @OptionGroup var damage: DamageOption

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit: expected a count, got \(limit)") }
        if offset < 0 { throw ValidationError("--offset: expected a count, got \(offset)") }
        if summary,
            limit != nil || offset != 0 || execution != nil || rule != nil || triggerInstance != nil
                || showExecutions || showRules || showTriggerInstances || hideNoopTriggers
        {
            throw ValidationError("--summary shows the whole trace: it takes no selection, --limit or --offset")
        }
        if [execution, rule, triggerInstance].compactMap({ $0 }).count > 1 {
            throw ValidationError("use at most one of -e, -r and -g")
        }
        if effects, execution == nil, rule == nil, triggerInstance == nil {
            throw ValidationError("--effects needs -e, -r or -g")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try log.openReadOnly()
            if summary { return try printSummaries(store) }
            var outputs: [(TraceComponentPage, [TraceComponent], [DamagedRegion])] = []
            var missing: [String] = []
            var damaged: [DamagedRegion] = []
            for id in ids {
                guard let traceID = TraceID(hex: id) else {
                    missing.append(id)
                    continue
                }
                // Components are projected a page at a time: memory stays bounded for traces of any size.
                let answer = try store.traceComponents(
                    traceID, selection: selection, offset: offset, limit: limit, damage: damage.policy)
                damaged += answer.damage.filter { !damaged.contains($0) }
                guard let trace = answer.value else {
                    missing.append(id)
                    continue
                }
                outputs.append((trace, trace.components, answer.damage))
            }
            damage.warn(damaged)
            if json {
                let values = outputs.map { $0.0.json.adding(damage: $0.2) }
                if ids.count == 1 {
                    if let only = values.first { print(only.serialized()) }
                } else {
                    print(JSONValue.array(values).serialized())
                }
            } else {
                for (index, (trace, components, _)) in outputs.enumerated() {
                    if index > 0 { print("") }
                    print("trace: \(trace.id)  tag: \(TerminalText.escaped(trace.tag))  start: \(trace.startTime)")
                    var table = TextTable(columns: ["id", "type", "ref", "time", "caused_by"])
                    table.rows = components.map { component in
                        [
                            component.id, component.type.name, component.ref, component.time.description,
                            component.causedBy?.description ?? "",
                        ]
                    }
                    print(table.rendered())
                    if components.count < trace.total {
                        print(
                            "\(components.count) of \(trace.total) components shown, from number \(trace.offset + 1)"
                                + " (use --limit and --offset to see more)")
                    }
                }
            }
            for id in missing { printError("trace \(id) not found") }  // printError escapes the id
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }

    /// `--summary`: per trace, the counts by type and execution outcome, the time span and the total.
    private func printSummaries(_ store: TraceStore) throws {
        var summaries: [(TraceSummary, [DamagedRegion])] = []
        var missing: [String] = []
        var damaged: [DamagedRegion] = []
        for id in ids {
            guard let traceID = TraceID(hex: id) else {
                missing.append(id)
                continue
            }
            let answer = try store.traceSummary(traceID, damage: damage.policy)
            damaged += answer.damage.filter { !damaged.contains($0) }
            if let value = answer.value { summaries.append((value, answer.damage)) } else { missing.append(id) }
        }
        damage.warn(damaged)
        if json {
            let values = summaries.map { $0.0.json.adding(damage: $0.1) }
            if ids.count != 1 {
                print(JSONValue.array(values).serialized())
            } else if let only = values.first {
                print(only.serialized())
            }
        } else {
            for (index, (summary, _)) in summaries.enumerated() {
                if index > 0 { print("") }
                print("trace: \(summary.id)  tag: \(summary.tag)")
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
        for id in missing { printError("trace \(id) not found") }
        if !missing.isEmpty { throw ExitCode.failure }
    }

    /// The components to show: the chain (or effects) of -e/-r/-g if given, then the type and noop filters.
    private var selection: ComponentSelection {
        let selector =
            execution.map { EntityRef(type: .execution, id: $0) } ?? rule.map { EntityRef(type: .rule, id: $0) }
            ?? triggerInstance.map { EntityRef(type: .triggerInstance, id: $0) }
        var types: Set<EntityType> = []
        if showExecutions { types.insert(.execution) }
        if showRules { types.insert(.rule) }
        if showTriggerInstances { types.insert(.triggerInstance) }
        return ComponentSelection(
            selector: selector, effects: effects, types: types, hideNoopTriggers: hideNoopTriggers)
    }
}

/// Parses an optional RFC 3339 time given to `flag`.
func parseTime(_ text: String?, flag: String) throws -> Timestamp? {
    guard let text else { return nil }
    guard let time = Timestamp(rfc3339: text) else {
        throw CLIError("\(flag): expected an RFC 3339 time like 2026-11-22T10:00:00Z, got \(text)")
    }
    return time
}
