import TraceLogStorage

/// The JSON shapes of traces, kept stable (documented in README.md, "JSON output").
extension TraceProjection {
    /// `{"id","tag","start_time","components":[…]}` with the given components (default: all).
    public func json(components selected: [TraceComponent]? = nil) -> JSONValue {
        .object([
            ("id", .string(id.description)),
            ("tag", .string(tag)),
            ("start_time", .string(startTime.description)),
            ("components", .array((selected ?? components).map(\.json))),
        ])
    }
}

extension TraceComponent {
    /// `{"id","type","ref","time","caused_by"}`, plus `"rule_id"` for rule components.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("type", .string(type.name)),
            ("ref", .string(ref)),
            ("time", .string(time.description)),
            (
                "caused_by",
                causedBy.map { .object([("type", .string($0.type.name)), ("id", .string($0.id))]) } ?? .null
            ),
        ]
        if type == .rule { members.append(("rule_id", .string(ruleID))) }
        return .object(members)
    }
}

extension TracePage {
    /// `{"total": N, "traces": [...]}`.
    public var json: JSONValue {
        .object([("total", .int(Int64(total))), ("traces", .array(traces.map { $0.json() }))])
    }
}
