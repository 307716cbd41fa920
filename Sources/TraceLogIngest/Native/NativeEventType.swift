/// The `type` values of the native format and the keys each allows and requires.
enum NativeEventType: CaseIterable {
    case triggerInstance, ruleEnforcement, execution, flowEvent, trace, causationLink

    /// The value of `type`.
    var name: StaticString {
        switch self {
        case .triggerInstance: "trigger_instance"
        case .ruleEnforcement: "rule_enforcement"
        case .execution: "execution"
        case .flowEvent: "flow_event"
        case .trace: "trace"
        case .causationLink: "causation_link"
        }
    }

    /// The type spelled by `bytes`, or nil.
    static func match(_ bytes: UnsafeRawBufferPointer) -> NativeEventType? {
        let candidate: NativeEventType? =
            switch bytes.count {
            case 16: bytes[0] == UInt8(ascii: "t") ? .triggerInstance : .ruleEnforcement
            case 9: .execution
            case 10: .flowEvent
            case 5: .trace
            case 14: .causationLink
            default: nil
            }
        guard let candidate, bytes.spells(candidate.name) else { return nil }
        return candidate
    }

    /// Every accepted spelling, for error messages.
    static let expectation =
        "expected trigger_instance, rule_enforcement, execution, flow_event, trace or causation_link"

    /// The keys a line of this type may carry (a key outside it is rejected unless its value is null).
    var allowedKeys: NativeKeySet {
        switch self {
        case .triggerInstance: Self.triggerInstanceKeys
        case .ruleEnforcement: Self.ruleEnforcementKeys
        case .execution: Self.executionKeys
        case .flowEvent: Self.flowEventKeys
        case .trace: Self.traceKeys
        case .causationLink: Self.causationLinkKeys
        }
    }

    /// The keys a line of this type must carry with a non-null value.
    var requiredKeys: NativeKeySet {
        switch self {
        case .triggerInstance: Self.triggerInstanceRequired
        case .ruleEnforcement: Self.ruleEnforcementRequired
        case .execution: Self.executionRequired
        case .flowEvent: Self.flowEventRequired
        case .trace: Self.traceRequired
        case .causationLink: Self.causationLinkRequired
        }
    }

    // Computed once: building a set from a variadic list allocates.
    private static let triggerInstanceKeys = NativeKeySet(
        .type, .time, .id, .trace, .causedBy, .trigger, .payload, .source, .hook, .timer)
    private static let ruleEnforcementKeys = NativeKeySet(
        .type, .time, .id, .trace, .causedBy, .rule, .triggerInstance, .execution)
    private static let executionKeys = NativeKeySet(
        .type, .time, .id, .trace, .causedBy, .action, .runID, .attempt, .status, .parent, .rerunOf, .input,
        .output, .durationMs, .failure, .failureMessage, .otlp)
    private static let flowEventKeys = NativeKeySet(.type, .time, .id, .trace, .event, .details, .node)
    private static let traceKeys = NativeKeySet(.type, .time, .id, .tag, .origin)
    private static let causationLinkKeys = NativeKeySet(.type, .time, .trace, .entity, .causedBy)

    private static let triggerInstanceRequired = NativeKeySet(.id, .trigger)
    private static let ruleEnforcementRequired = NativeKeySet(.id, .rule, .triggerInstance)
    private static let executionRequired = NativeKeySet(.id, .action)
    private static let flowEventRequired = NativeKeySet(.event, .details)
    private static let traceRequired = NativeKeySet(.id, .tag)
    private static let causationLinkRequired = NativeKeySet(.entity, .causedBy)
}
