public import TraceLog

extension RunSetComparison {
    /// The JSON of `tracelog compare --json` and `GET /v1/compare` (README's contract):
    /// `{"baseline": {"selector", "runs"}, "candidate": {…}, "nodes": [{"node", "status", "duration",
    /// "failure_rate", "retries"}], "regressions"}`, nodes worst first. `duration` and `failure_rate` are null for
    /// added and removed nodes; `p_value`s are Holm-corrected; a value that does not exist (no duration in a set,
    /// an infinite ratio) is null.
    public var json: JSONValue {
        .object([
            ("baseline", Self.json(baseline)), ("candidate", Self.json(candidate)),
            ("nodes", .array(nodes.map(\.json))), ("regressions", .int(Int64(regressions))),
        ])
    }

    static func json(_ set: SetSummary) -> JSONValue {
        .object([("selector", .string(set.selector)), ("runs", .int(Int64(set.runs)))])
    }
}

extension NodeComparison {
    /// `{"node", "status", "duration", "failure_rate", "retries": {"baseline_mean", "candidate_mean"}}`.
    public var json: JSONValue {
        .object([
            ("node", .string(node)), ("status", .string(status.rawValue)),
            ("duration", duration.map(\.json) ?? .null), ("failure_rate", failureRate.map(\.json) ?? .null),
            (
                "retries",
                .object([
                    ("baseline_mean", .number(baselineRetriesMean)), ("candidate_mean", .number(candidateRetriesMean)),
                ])
            ),
        ])
    }
}

extension DurationComparison {
    /// `{"baseline_p50", "candidate_p50", "ratio", "ci_low", "ci_high", "p_value", "verdict"}`.
    public var json: JSONValue {
        .object([
            ("baseline_p50", .number(baselineP50)), ("candidate_p50", .number(candidateP50)),
            ("ratio", .number(ratio)), ("ci_low", .number(ciLow)), ("ci_high", .number(ciHigh)),
            ("p_value", .number(pValue)), ("verdict", .string(verdict.rawValue)),
        ])
    }
}

extension FailureRateComparison {
    /// `{"baseline", "candidate", "delta", "p_value", "verdict"}`: rates in 0…1.
    public var json: JSONValue {
        .object([
            ("baseline", .double(baseline)), ("candidate", .double(candidate)), ("delta", .double(delta)),
            ("p_value", .double(pValue)), ("verdict", .string(verdict.rawValue)),
        ])
    }
}

extension RunHistory {
    /// The JSON of `tracelog history --json` and `GET /v1/history`: `{"nodes": [{"node", "runs",
    /// "change_points": [{"index", "trace_id", "time", "before_p50", "after_p50", "ratio", "p_value"}]}]}`, where
    /// `runs` is the length of the node's series and `index` a position in it.
    public var json: JSONValue {
        .object([
            (
                "nodes",
                .array(
                    nodes.map { node in
                        .object([
                            ("node", .string(node.node)), ("runs", .int(Int64(node.points.count))),
                            ("change_points", .array(node.changePoints.map(\.json))),
                        ])
                    })
            )
        ])
    }
}

extension RunHistory.Change {
    /// `{"index", "trace_id", "time", "before_p50", "after_p50", "ratio", "p_value"}`.
    public var json: JSONValue {
        .object([
            ("index", .int(Int64(index))), ("trace_id", .string(traceID.description)),
            ("time", .string(time.description)), ("before_p50", .double(beforeP50)),
            ("after_p50", .double(afterP50)), ("ratio", .double(ratio)), ("p_value", .double(pValue)),
        ])
    }
}

extension JSONValue {
    /// A number, or null for nil (and, when serialized, for a value that is not finite).
    static func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
}
