/// A trace was created: its tag and the entity that started it.
public struct TraceStart: Hashable, Sendable {
    /// The user-friendly label (not unique).
    public var tag: String
    /// The entity whose arrival created the trace, if known.
    public var origin: EntityRef?

    /// Creates a trace-start body.
    @inlinable
    public init(tag: String, origin: EntityRef? = nil) {
        self.tag = tag
        self.origin = origin
    }
}

/// A trigger instance (StackStorm): one event from a sensor, webhook, timer, action trigger or the API.
public struct TriggerInstance: Hashable, Sendable {
    /// The trigger-instance id.
    public var id: String
    /// The trigger ref, e.g. `core.st2.webhook`.
    public var trigger: String
    /// Where it came from.
    public var source: TriggerSource
    /// The payload, byte for byte.
    public var payload: RawJSON
    /// The execution that caused it (action and notify triggers), if any.
    public var causedBy: EntityRef?
    /// The webhook name, for webhooks.
    public var hook: String?
    /// The timer name, for timers.
    public var timer: String?

    /// Creates a trigger-instance body.
    @inlinable
    public init(
        id: String, trigger: String, source: TriggerSource, payload: RawJSON = .emptyObject,
        causedBy: EntityRef? = nil, hook: String? = nil, timer: String? = nil
    ) {
        self.id = id
        self.trigger = trigger
        self.source = source
        self.payload = payload
        self.causedBy = causedBy
        self.hook = hook
        self.timer = timer
    }
}

/// A rule enforcement: one rule matching one trigger instance (each firing is its own component).
public struct RuleEnforcement: Hashable, Sendable {
    /// The enforcement id (unique per firing).
    public var id: String
    /// The rule's id.
    public var ruleID: String
    /// The rule's ref, e.g. `pack.rule_name`.
    public var ruleRef: String
    /// The trigger instance it matched.
    public var triggerInstanceID: String
    /// The execution it started, if any.
    public var executionID: String?
    /// The cause, normally the trigger instance.
    public var causedBy: EntityRef?

    /// Creates a rule-enforcement body.
    @inlinable
    public init(
        id: String, ruleID: String, ruleRef: String, triggerInstanceID: String, executionID: String? = nil,
        causedBy: EntityRef? = nil
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleRef = ruleRef
        self.triggerInstanceID = triggerInstanceID
        self.executionID = executionID
        self.causedBy = causedBy
    }
}

/// One attempt (or status change) of an execution: an action, pipeline node or task run.
public struct ExecutionAttempt: Hashable, Sendable {
    /// The execution id, shared by all attempts of the execution.
    public var id: String
    /// The action ref, pipeline node id or task name.
    public var action: String
    /// The pipeline run id (Stroma), if any.
    public var runID: String?
    /// The attempt number, starting at 1.
    public var attempt: UInt32
    /// The status, e.g. `running`, `succeeded`, `failed`.
    public var status: String?
    /// The parent execution, for workflow children.
    public var parent: String?
    /// The execution this one re-runs.
    public var rerunOf: String?
    /// The input, byte for byte.
    public var input: RawJSON?
    /// The output, byte for byte; absent on failure.
    public var output: RawJSON?
    /// How long the attempt took, in milliseconds.
    public var durationMs: Double?
    /// The failure class; nil when the attempt did not fail.
    public var failure: FailureClass?
    /// The failure message.
    public var failureMessage: String?
    /// The cause: a rule enforcement, or the previous execution.
    public var causedBy: EntityRef?
    /// For an attempt that came from an OpenTelemetry span: the rest of the span as an OTLP/JSON object (kind,
    /// nanosecond start and end, attributes, events, links, status, trace state, flags, resource and scope), so
    /// that exporting the attempt gives the span back field for field. Nil for every other attempt.
    ///
    /// The span's trace id, span id, parent span id and name are not repeated here: they are the record's trace
    /// id, ``id``, ``causedBy`` and ``action``.
    public var otlp: RawJSON?

    /// Creates an execution-attempt body.
    @inlinable
    public init(
        id: String, action: String, runID: String? = nil, attempt: UInt32 = 1, status: String? = nil,
        parent: String? = nil, rerunOf: String? = nil, input: RawJSON? = nil, output: RawJSON? = nil,
        durationMs: Double? = nil, failure: FailureClass? = nil, failureMessage: String? = nil,
        causedBy: EntityRef? = nil, otlp: RawJSON? = nil
    ) {
        self.id = id
        self.action = action
        self.runID = runID
        self.attempt = attempt
        self.status = status
        self.parent = parent
        self.rerunOf = rerunOf
        self.input = input
        self.output = output
        self.durationMs = durationMs
        self.failure = failure
        self.failureMessage = failureMessage
        self.causedBy = causedBy
        self.otlp = otlp
    }
}

/// A causation link recorded on its own: `entity` was caused by `causedBy`.
public struct CausationLink: Hashable, Sendable {
    /// The effect.
    public var entity: EntityRef
    /// The cause.
    public var causedBy: EntityRef

    /// Creates a causation-link body.
    @inlinable
    public init(entity: EntityRef, causedBy: EntityRef) {
        self.entity = entity
        self.causedBy = causedBy
    }
}

/// A Selinon flow trace event (`DISPATCHER_WAKEUP` … `STORAGE_DELETED`) with its details.
public struct FlowEvent: Hashable, Sendable {
    /// The Selinon event name, e.g. `TASK_START`.
    public var event: String
    /// The entity the event concerns (dispatcher id or task id), if any.
    public var entityID: String?
    /// The host that emitted it.
    public var node: String?
    /// The event's details object, byte for byte.
    public var details: RawJSON

    /// Creates a flow-event body.
    @inlinable
    public init(event: String, entityID: String? = nil, node: String? = nil, details: RawJSON = .emptyObject) {
        self.event = event
        self.entityID = entityID
        self.node = node
        self.details = details
    }
}
