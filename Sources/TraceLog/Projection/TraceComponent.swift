public import TraceLogStorage

/// One component of a trace (StackStorm's model): a trigger instance, a rule enforcement or an execution.
///
/// An execution with several attempts is one component (its first record's time); each rule enforcement is its
/// own component, so a rule that fires twice in a trace appears twice, with different enforcement ids.
public struct TraceComponent: Hashable, Sendable {
    /// The entity id (for rules: the enforcement id).
    public var id: String
    /// `triggerInstance`, `rule` or `execution`.
    public var type: EntityType
    /// Trigger ref, rule ref or action ref.
    public var ref: String
    /// When the entity first appeared.
    public var time: Timestamp
    /// What caused it, if anything.
    public var causedBy: EntityRef?
    /// For rule components: the rule's id.
    public var ruleID: String?
    /// Sequence number of its first record (orders components with equal times).
    public var seq: UInt64
    /// Number of execution attempt records (executions only).
    public var attempts: Int = 0
    /// The status of the last attempt (highest attempt number), the last one given for it (executions only).
    public var status: String?
    /// The failure class of the last attempt (executions only).
    public var failure: FailureClass?
    /// Each attempt, by attempt number (executions only; see ``AttemptSummary``).
    public var attemptSummaries: [AttemptSummary] = []

    /// The entity this component is.
    public var entity: EntityRef { EntityRef(type: type, id: id) }
}
