public import TraceLogStorage

/// How an execution ended, from its last attempt: the classes `trace get --summary` counts and the web viewer
/// colours attempts by.
public enum ExecutionOutcome: String, Hashable, Sendable, CaseIterable {
    /// Neither failed nor still going.
    case success
    /// Still going (status `running`, `scheduled`, `requested`, `pending` or `delayed`).
    case pending
    /// Failed with `RECOVERABLE`.
    case recoverable
    /// Failed with `TERMINAL`, or a status `failed`, `timeout` or `abandoned` without a failure class.
    case terminal
    /// Failed with `AMBIGUOUS`.
    case ambiguous

    /// The outcome of a failure class and status (an execution's last attempt's failure, its last status): the
    /// failure class first, then the status.
    public init(failure: FailureClass?, status: String?) {
        switch failure {
        case .recoverable: self = .recoverable
        case .terminal: self = .terminal
        case .ambiguous: self = .ambiguous
        case nil:
            switch status {
            case "failed", "timeout", "abandoned": self = .terminal
            case "running", "scheduled", "requested", "pending", "delayed": self = .pending
            default: self = .success
            }
        }
    }
}
