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
    @OptionGroup var output: OutputFormatOption
    @OptionGroup var damage: DamageOption

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
            var outputs: [(TraceProjection, [TraceComponent], [DamagedRegion])] = []
            var missing: [String] = []
            var damaged: [DamagedRegion] = []
            for name in ids {
                guard let traceID = try TraceID(hex: name) ?? store.traceNamed(name)?.id else {
                    missing.append(name)
                    continue
                }
                let answer = try store.trace(traceID, damage: damage.policy)
                damaged += answer.damage.filter { !damaged.contains($0) }
                guard let trace = answer.value else {
                    missing.append(name)
                    continue
                }
                outputs.append((trace, trace.select(selection), answer.damage))
            }
            damage.warn(damaged)
            if output.structured {
                let values = try outputs.map { trace, components, damage in
                    try structured(trace, components).adding(damage: damage)
                }
                if ids.count == 1 {
                    if let only = values.first { output.print(only) }
                } else {
                    output.print(.array(values))
                }
            } else {
                for (index, (trace, components, _)) in outputs.enumerated() {
                    if index > 0 { print("") }
                    print(
                        "trace: \(trace.id)  tag: \(TerminalText.escaped(trace.tag))  start: \(trace.startTime)  "
                            + "outcome: \(trace.outcome.rawValue)")
                    var table = TextTable(columns: columns)
                    table.rows = components.map { component in
                        let object = component.json
                        return columns.map { cellText(object[member: $0]) }
                    }
                    print(table.rendered())
                }
            }
            for name in missing { printError("error: trace \(name) not found") }  // printError escapes the name
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }

    /// The trace object with its components narrowed to `-a`'s members.
    private func structured(_ trace: TraceProjection, _ components: [TraceComponent]) throws -> JSONValue {
        guard !output.attributes.isEmpty else { return trace.json(components: components) }
        let selected = try components.map { try output.selected($0.json, available: Self.attributes) }
        guard case .object(var members) = trace.json(components: []) else { return trace.json(components: components) }
        members.removeLast()
        members.append(("components", .array(selected)))
        return .object(members)
    }
}
