public import TraceLogStorage

/// Everything a trace knows about one component: its records, its attempts with input and output, the flow
/// events about it, its causation chain up to the origin and its effects downstream (the viewer's details panel,
/// `GET /v1/traces/{id}/component`).
public struct ComponentDetails: Sendable {
    /// The trace it belongs to.
    public var traceID: TraceID
    /// The component.
    public var component: TraceComponent
    /// The component's own records (trigger instance, enforcement, every attempt record), in sequence order.
    public var records: [StoredRecord]
    /// The flow events about it (Selinon: the dispatcher or task it is), in sequence order.
    public var flowEvents: [FlowEventEntry]
    /// What caused it, origin first, without the component itself.
    public var chain: [TraceComponent]
    /// Everything downstream of it, in time order, without the component itself.
    public var effects: [TraceComponent]
}

extension TraceProjection {
    /// The details of the component `entity` is; nil when the trace has no such component. Cost: one pass over
    /// the trace's records plus the walks up and down the causation graph.
    public func details(of entity: EntityRef) -> ComponentDetails? {
        guard let component = components.first(where: { $0.entity == entity }) else { return nil }
        let own = records.filter { $0.record.body.entity == entity }
        let events = flowEvents.filter { $0.event.entityID == entity.id && entity.type == .execution }
        return ComponentDetails(
            traceID: id, component: component, records: own, flowEvents: events,
            chain: causationChain(of: [component]).filter { $0.entity != entity },
            effects: effects(of: [component]).filter { $0.entity != entity })
    }
}

extension ComponentDetails {
    /// `{"trace_id","component","attempts","trigger_instance","rule_enforcement","flow_events","chain","effects"}`:
    /// `component` as in `trace get --json`; for executions `attempts` by attempt number, each
    /// ``AttemptSummary/json`` plus `"run_id"`, `"input"` and `"output"` (the latest given, byte for byte) and
    /// `"records"` (how many records it has); for trigger instances `trigger_instance` `{"trigger","source",
    /// "hook","timer","payload"}`; for rule enforcements `rule_enforcement` `{"rule_id","rule_ref",
    /// "trigger_instance","execution"}`; members that do not apply are null.
    public var json: JSONValue {
        var trigger: JSONValue = .null
        var enforcement: JSONValue = .null
        var inputs: [UInt32: (input: RawJSON?, output: RawJSON?, runID: String?, records: Int)] = [:]
        for stored in records {
            switch stored.record.body {
            case .triggerInstance(let instance):
                trigger = .object([
                    ("trigger", .string(instance.trigger)), ("source", .string(instance.source.name)),
                    ("hook", .string(instance.hook)), ("timer", .string(instance.timer)),
                    ("payload", .raw(instance.payload.text)),
                ])
            case .ruleEnforcement(let rule):
                enforcement = .object([
                    ("rule_id", .string(rule.ruleID)), ("rule_ref", .string(rule.ruleRef)),
                    ("trigger_instance", .string(rule.triggerInstanceID)), ("execution", .string(rule.executionID)),
                ])
            case .executionAttempt(let attempt):
                var entry = inputs[attempt.attempt] ?? (nil, nil, nil, 0)
                entry.input = attempt.input ?? entry.input
                entry.output = attempt.output ?? entry.output
                entry.runID = attempt.runID ?? entry.runID
                entry.records += 1
                inputs[attempt.attempt] = entry
            default: continue
            }
        }
        let attempts: [JSONValue] = component.attemptSummaries.map { summary in
            let entry = inputs[summary.attempt]
            guard case .object(var members) = summary.json else { return summary.json }
            members += [
                ("run_id", .string(entry?.runID)), ("records", .int(Int64(entry?.records ?? 0))),
                ("input", entry?.input.map { .raw($0.text) } ?? .null),
                ("output", entry?.output.map { .raw($0.text) } ?? .null),
            ]
            return .object(members)
        }
        return .object([
            ("trace_id", .string(traceID.description)), ("component", component.json),
            ("attempts", .array(attempts)), ("trigger_instance", trigger), ("rule_enforcement", enforcement),
            ("flow_events", .array(flowEvents.map(\.json))), ("chain", .array(chain.map(\.json))),
            ("effects", .array(effects.map(\.json))),
        ])
    }
}
