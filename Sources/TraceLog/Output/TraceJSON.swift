import TraceLogStorage

/// The JSON shapes of traces, kept stable (documented in README.md, "JSON output").
extension TraceProjection {
    /// `{"id","tag","start_time","engine","outcome","failed_executions","components":[…]}` with the given
    /// components (default: all); `engine` and `outcome` are those of the whole trace (``engine``, ``outcome``).
    public func json(components selected: [TraceComponent]? = nil) -> JSONValue {
        .object([
            ("id", .string(id.description)),
            ("tag", .string(tag)),
            ("start_time", .string(startTime.description)),
            ("engine", .string(engine.rawValue)),
            ("outcome", .string(outcome.rawValue)),
            ("failed_executions", .int(Int64(failedExecutions))),
            ("components", .array((selected ?? components).map(\.json))),
        ])
    }
}

extension TraceComponent {
    /// `{"id","type","ref","time","seq","caused_by"}` (`seq`: the sequence number of its first record), plus `"rule_id"` for rule components, and for executions
    /// `"outcome"` (see ``Outcome``), `"status"`, `"failure"` (of the last attempt) and `"attempts"`
    /// (``AttemptSummary/json`` per attempt, by attempt number).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("type", .string(type.name)),
            ("ref", .string(ref)),
            ("time", .string(time.description)),
            ("seq", .int(Int64(seq))),
            (
                "caused_by",
                causedBy.map { .object([("type", .string($0.type.name)), ("id", .string($0.id))]) } ?? .null
            ),
        ]
        if type == .rule { members.append(("rule_id", .string(ruleID))) }
        if type == .execution {
            let last = lastAttempt
            members += [
                ("outcome", .string(outcome)), ("status", .string(last?.status ?? status)),
                ("failure", .string(last?.failure?.name)), ("attempts", .array(attemptSummaries.map(\.json))),
            ]
        }
        return .object(members)
    }
}

extension TracePage {
    /// `{"total": N, "traces": [...]}`.
    public var json: JSONValue {
        .object([("total", .int(Int64(total))), ("traces", .array(traces.map { $0.json() }))])
    }
}
