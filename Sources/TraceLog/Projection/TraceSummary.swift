public import TraceLogStorage

/// A trace in numbers, without its components: what `trace get --summary` prints.
public struct TraceSummary: Hashable, Sendable {
    /// The trace id.
    public var id: TraceID
    /// The trace tag.
    public var tag: String
    /// The trace's start time (its trace-start record).
    public var startTime: Timestamp
    /// The time of its latest record.
    public var endTime: Timestamp
    /// Its records (every kind, flow events and causation links included).
    public var records: Int
    /// Its components (trigger instances, rule enforcements, executions).
    public var components: Int
    /// Components per type; every type is present, with 0 when there is none.
    public var byType: [EntityType: Int]
    /// Executions per outcome of their last attempt (see ``ExecutionOutcome``); every outcome is present.
    public var executionsByOutcome: [ExecutionOutcome: Int]
    /// The engine whose model the trace follows (see ``TraceProjection/engine``).
    public var engine: TraceEngine
    /// The trace's outcome (see ``TraceProjection/outcome``).
    public var outcome: TraceOutcome

    /// `{"id","tag","start_time","end_time","engine","outcome","records","total","by_type":{"trigger_instance","rule","execution"},
    /// "executions_by_outcome":{"success","pending","recoverable","terminal","ambiguous"}}`; `total` counts the
    /// components, as in `trace get --json`.
    public var json: JSONValue {
        .object([
            ("id", .string(id.description)),
            ("tag", .string(tag)),
            ("start_time", .string(startTime.description)),
            ("end_time", .string(endTime.description)),
            ("engine", .string(engine.rawValue)),
            ("outcome", .string(outcome.rawValue)),
            ("records", .int(Int64(records))),
            ("total", .int(Int64(components))),
            (
                "by_type",
                .object(
                    [EntityType.triggerInstance, .rule, .execution].map { ($0.name, .int(Int64(byType[$0] ?? 0))) })
            ),
            (
                "executions_by_outcome",
                .object(ExecutionOutcome.allCases.map { ($0.rawValue, .int(Int64(executionsByOutcome[$0] ?? 0))) })
            ),
        ])
    }
}

/// One page of a trace's components (``TraceStore/traceComponents(_:selection:offset:limit:damage:)``).
public struct TraceComponentPage: Hashable, Sendable {
    /// The trace id.
    public var id: TraceID
    /// The trace tag.
    public var tag: String
    /// The trace's start time (its trace-start record).
    public var startTime: Timestamp
    /// The engine whose model the whole trace follows (see ``TraceProjection/engine``).
    public var engine: TraceEngine
    /// The whole trace's outcome (see ``TraceProjection/outcome``), whatever the page shows.
    public var outcome: TraceOutcome
    /// How many of the trace's executions failed (their last attempt).
    public var failedExecutions: Int
    /// How many components the selection shows in all.
    public var total: Int
    /// How many of them come before this page.
    public var offset: Int
    /// The components of this page, sorted by time (then sequence number).
    public var components: [TraceComponent]

    /// `{"id","tag","start_time","engine","outcome","failed_executions","total","offset","components":[…]}`:
    /// `trace get --json` and `GET /v1/traces/{id}` (`total` counts every component the selection shows,
    /// `components` holds the page, `offset` is the number of the page's first one, from 0).
    public var json: JSONValue {
        .object([
            ("id", .string(id.description)),
            ("tag", .string(tag)),
            ("start_time", .string(startTime.description)),
            ("engine", .string(engine.rawValue)),
            ("outcome", .string(outcome.rawValue)),
            ("failed_executions", .int(Int64(failedExecutions))),
            ("total", .int(Int64(total))),
            ("offset", .int(Int64(offset))),
            ("components", .array(components.map(\.json))),
        ])
    }
}

extension TraceOutline {
    /// The summary of the outlined trace.
    func summary(id: TraceID) -> TraceSummary {
        var byType: [EntityType: Int] = [.triggerInstance: 0, .rule: 0, .execution: 0]
        var byOutcome = Dictionary(uniqueKeysWithValues: ExecutionOutcome.allCases.map { ($0, 0) })
        for component in components {
            byType[component.type, default: 0] += 1
            if component.type == .execution { byOutcome[outcome(component), default: 0] += 1 }
        }
        let start = startTime ?? Timestamp(microseconds: 0)
        return TraceSummary(
            id: id, tag: tag, startTime: start, endTime: endTime ?? start, records: records,
            components: components.count, byType: byType, executionsByOutcome: byOutcome, engine: engine,
            outcome: outcome.outcome)
    }
}
