import TraceLogStorage

/// Builds records from fuzzer bytes: every kind, every optional field present or absent, any string, any
/// time, trace id, attempt number and duration bit pattern (NaN and infinities included).
enum RecordGenerator {
    static func record(from input: inout FuzzBytes) -> Record {
        let kind = input.pick(RecordKind.allCases)
        let time = Timestamp(microseconds: input.integer(Int64.self))
        let traceID = TraceID(high: input.integer(UInt64.self), low: input.integer(UInt64.self))
        return Record(time: time, traceID: traceID, body: body(kind, from: &input))
    }

    private static func body(_ kind: RecordKind, from input: inout FuzzBytes) -> RecordBody {
        switch kind {
        case .traceStart:
            return .traceStart(TraceStart(tag: input.string(), origin: reference(from: &input)))
        case .triggerInstance:
            return .triggerInstance(
                TriggerInstance(
                    id: input.string(), trigger: input.string(), source: input.pick(TriggerSource.allCases),
                    payload: RawJSON(input.string()), causedBy: reference(from: &input),
                    hook: input.optionalString(), timer: input.optionalString()))
        case .ruleEnforcement:
            return .ruleEnforcement(
                RuleEnforcement(
                    id: input.string(), ruleID: input.string(), ruleRef: input.string(),
                    triggerInstanceID: input.string(), executionID: input.optionalString(),
                    causedBy: reference(from: &input)))
        case .executionAttempt:
            return .executionAttempt(
                ExecutionAttempt(
                    id: input.string(), action: input.string(), runID: input.optionalString(),
                    attempt: input.integer(UInt32.self), status: input.optionalString(),
                    parent: input.optionalString(), rerunOf: input.optionalString(),
                    input: input.optionalString().map(RawJSON.init), output: input.optionalString().map(RawJSON.init),
                    durationMs: input.bool() ? Double(bitPattern: input.integer(UInt64.self)) : nil,
                    failure: input.optional(FailureClass.allCases), failureMessage: input.optionalString(),
                    causedBy: reference(from: &input), otlp: input.optionalString().map(RawJSON.init)))
        case .causationLink:
            return .causationLink(
                CausationLink(
                    entity: EntityRef(type: input.pick(EntityType.allCases), id: input.string()),
                    causedBy: EntityRef(type: input.pick(EntityType.allCases), id: input.string())))
        case .flowEvent:
            return .flowEvent(
                FlowEvent(
                    event: input.string(), entityID: input.optionalString(), node: input.optionalString(),
                    details: RawJSON(input.string())))
        }
    }

    private static func reference(from input: inout FuzzBytes) -> EntityRef? {
        guard let type = input.optional(EntityType.allCases) else { return nil }
        return EntityRef(type: type, id: input.string())
    }
}

extension Record {
    /// Equality that counts two NaN durations with the same bits as equal (`==` never does: NaN ≠ NaN).
    func isSameRecord(as other: Record) -> Bool {
        guard case .executionAttempt(var mine) = body, case .executionAttempt(var theirs) = other.body else {
            return self == other
        }
        guard mine.durationMs?.bitPattern == theirs.durationMs?.bitPattern else { return false }
        mine.durationMs = nil
        theirs.durationMs = nil
        return time == other.time && traceID == other.traceID && mine == theirs
    }
}
