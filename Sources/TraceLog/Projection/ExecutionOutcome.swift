public import TraceLogStorage

/// How an execution ended, from its last attempt: the classes `trace get --summary` counts and the web viewer
/// colours attempts by.
public enum ExecutionOutcome: String, Hashable, Sendable, CaseIterable {
    /// Neither failed nor still going.
    case success
    /// Still going (a status of ``Outcome/pendingStatuses``: `running`, `scheduled`, `requested`, …).
    case pending
    /// Failed with `RECOVERABLE`.
    case recoverable
    /// Failed with `TERMINAL`, or a status of ``Outcome/failedStatuses`` (`failed`, `timeout`, `abandoned`)
    /// without a failure class.
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
            guard let status else {
                self = .success
                return
            }
            self =
                Outcome.failedStatuses.contains(status)
                ? .terminal : Outcome.pendingStatuses.contains(status) ? .pending : .success
        }
    }
}
