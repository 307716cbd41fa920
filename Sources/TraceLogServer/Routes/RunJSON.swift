import TraceLog
import TraceLogStorage

extension RunProjection {
    /// `{"trace_id","tag","run_id","attempts":[…]}`, attempts in recorded order (see ``RunAttempt/json``).
    var json: JSONValue {
        .object([
            ("trace_id", .string(traceID.description)), ("tag", .string(tag)), ("run_id", .string(runID)),
            ("attempts", .array(attempts.map(\.json))),
        ])
    }
}

extension RunAttempt {
    /// `{"execution_id","node_id","run_id","attempt","time","duration_ms","status","failure","failure_message",
    /// "input","output"}`; absent values are `null`, input and output are the stored JSON byte for byte.
    var json: JSONValue {
        .object([
            ("execution_id", .string(executionID)), ("node_id", .string(node)), ("run_id", .string(runID)),
            ("attempt", .int(Int64(attempt))), ("time", .string(time.description)),
            ("duration_ms", durationMs.map(JSONValue.double) ?? .null), ("status", .string(status)),
            ("failure", .string(failure?.name)), ("failure_message", .string(failureMessage)),
            ("input", input.map { .raw($0.text) } ?? .null), ("output", output.map { .raw($0.text) } ?? .null),
        ])
    }
}
