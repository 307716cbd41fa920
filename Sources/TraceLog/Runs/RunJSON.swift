import TraceLogStorage

/// The JSON shapes of runs, one for every adapter (`run events --json`, `GET /v1/runs/{id}`, the viewer's
/// details panel), kept stable (documented in README.md, "JSON output").
extension RunProjection {
    /// `{"trace_id","tag","run_id","attempts":[…]}` with the given attempts (default: all), in recorded order
    /// (see ``RunAttempt/json``).
    public func json(attempts selected: [RunAttempt]? = nil) -> JSONValue {
        .object([
            ("trace_id", .string(traceID.description)), ("tag", .string(tag)), ("run_id", .string(runID)),
            ("attempts", .array((selected ?? attempts).map(\.json))),
        ])
    }
}

extension RunAttempt {
    /// `{"seq","execution_id","node_id","run_id","attempt","time","duration_ms","status","failure",
    /// "failure_message","input","output"}`; absent values are `null`, input and output are the stored JSON byte
    /// for byte.
    public var json: JSONValue {
        .object([
            ("seq", .int(Int64(seq))), ("execution_id", .string(executionID)), ("node_id", .string(node)),
            ("run_id", .string(runID)), ("attempt", .int(Int64(attempt))), ("time", .string(time.description)),
            ("duration_ms", durationMs.map(JSONValue.double) ?? .null), ("status", .string(status)),
            ("failure", .string(failure?.name)), ("failure_message", .string(failureMessage)),
            ("input", input.map { .raw($0.text) } ?? .null), ("output", output.map { .raw($0.text) } ?? .null),
        ])
    }
}

extension RunProjection {
    /// The attempts `run events` and `GET /v1/runs/{id}` show: those of `node` (Stroma's `events_for`) if given,
    /// then only failed ones (Stroma's `failures()`) if `failuresOnly`; in recorded order.
    public func attempts(node: String?, failuresOnly: Bool) -> [RunAttempt] {
        var selected = node.map { events(for: $0) } ?? attempts
        if failuresOnly { selected = selected.filter { $0.failure != nil } }
        return selected
    }
}
