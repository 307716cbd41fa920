import TraceLogStorage

/// How an execution or a trace ended, as `trace list`, `trace get` and the viewer show it.
///
/// An execution's outcome is its last attempt's: the failure class when it failed with one (`TERMINAL`,
/// `RECOVERABLE`, `AMBIGUOUS`), else its last status (`succeeded`, `failed`, `running`, …), else `succeeded`
/// (a Stroma attempt with no failure). A trace is `failed` when one of its executions' last attempt failed,
/// else `running` when one is still under way, else `succeeded`; a trace without executions has outcome `none`.
public enum Outcome {
    /// Statuses that end an attempt as failed even without a failure class (StackStorm's).
    public static let failedStatuses: Set<String> = ["failed", "timeout", "abandoned"]
    /// Statuses of an execution that has not ended yet (StackStorm's).
    public static let pendingStatuses: Set<String> = [
        "requested", "scheduled", "delayed", "pending", "running", "canceling", "pausing", "paused", "resuming",
    ]
}

/// A trace's outcome (see ``Outcome``).
public enum TraceOutcome: String, Hashable, Sendable, CaseIterable {
    /// An execution's last attempt failed.
    case failed
    /// No execution failed and one has not ended yet.
    case running
    /// Every execution ended without failure.
    case succeeded
    /// The trace has no execution.
    case none
}

extension TraceComponent {
    /// The execution's last attempt (highest attempt number), nil for other components.
    public var lastAttempt: AttemptSummary? { attemptSummaries.max { $0.attempt < $1.attempt } }

    /// Whether this is an execution whose last attempt failed.
    public var failed: Bool { lastAttempt?.failed ?? false }

    /// The outcome text of an execution (see ``Outcome``); nil for trigger instances and rule enforcements.
    public var outcome: String? {
        guard type == .execution else { return nil }
        guard let last = lastAttempt else { return status ?? "succeeded" }
        return last.failure?.name ?? last.status ?? "succeeded"
    }

    /// Whether this is an execution that has not ended (its last status is a pending one).
    public var pending: Bool {
        guard let last = lastAttempt, last.failure == nil, let status = last.status else { return false }
        return Outcome.pendingStatuses.contains(status)
    }
}

extension TraceProjection {
    /// The trace's outcome (see ``Outcome``). Cost: O(components).
    public var outcome: TraceOutcome {
        let executions = components.filter { $0.type == .execution }
        if executions.isEmpty { return .none }
        if executions.contains(where: \.failed) { return .failed }
        if executions.contains(where: \.pending) { return .running }
        return .succeeded
    }

    /// How many executions' last attempt failed.
    public var failedExecutions: Int { components.count { $0.failed } }
}
