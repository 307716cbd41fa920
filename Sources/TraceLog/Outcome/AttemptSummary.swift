public import TraceLogStorage

/// One attempt of an execution as a trace shows it: when it started, how long it took and how it ended.
///
/// An attempt may be recorded several times (StackStorm's status changes `scheduled`, `running`, `succeeded`):
/// it starts at its first record, and its duration, status and failure are those of its latest record that
/// carries them. Input and output are left out (``RunAttempt`` has them).
public struct AttemptSummary: Hashable, Sendable {
    /// The 1-based attempt number.
    public var attempt: UInt32
    /// Sequence number of the attempt's first record.
    public var seq: UInt64
    /// When the attempt started (its first record).
    public var time: Timestamp
    /// Its wall-clock duration, if any record gave one.
    public var durationMs: Double?
    /// Its latest status, if any.
    public var status: String?
    /// The failure class of its latest record; nil when that record did not fail.
    public var failure: FailureClass?
    /// The failure message of its latest record.
    public var failureMessage: String?

    /// Whether the attempt ended in failure: a failure class, or StackStorm's `failed`, `timeout` or
    /// `abandoned` status.
    public var failed: Bool { failure != nil || status.map(Outcome.failedStatuses.contains) == true }

    /// Folds a later record of the same attempt in.
    mutating func absorb(_ attempt: ExecutionAttempt) {
        if let duration = attempt.durationMs { durationMs = duration }
        if let status = attempt.status { self.status = status }
        failure = attempt.failure
        failureMessage = attempt.failureMessage
    }
}

extension AttemptSummary {
    /// `{"attempt","seq","time","duration_ms","status","failure","failure_message"}`; absent values are null.
    public var json: JSONValue {
        .object([
            ("attempt", .int(Int64(attempt))), ("seq", .int(Int64(seq))), ("time", .string(time.description)),
            ("duration_ms", durationMs.map(JSONValue.double) ?? .null), ("status", .string(status)),
            ("failure", .string(failure?.name)), ("failure_message", .string(failureMessage)),
        ])
    }
}
