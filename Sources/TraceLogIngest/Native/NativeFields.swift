import TraceLog
import TraceLogStorage

/// Everything one line said, collected key by key before its `type` decides what it becomes.
///
/// `type` may come anywhere in the object, so values are checked for their shape as they are read and for
/// their relevance (allowed and required keys) once the whole line has been read. Strings and raw values are
/// kept as byte ranges of the line until then: the struct is plain data, cheap to create and drop, and each
/// `String` is made once, straight into the record body.
struct NativeFields {
    /// Keys seen so far, null or not (a second occurrence is a duplicate).
    var seen = NativeKeySet()
    /// Keys seen with a non-null value.
    var present = NativeKeySet()

    var type: NativeEventType?
    var id: JSONStringToken?
    var time: Timestamp?
    var trace: TraceSlot?
    var causedBy: EntityRefSlot?
    var trigger: JSONStringToken?
    var payload: Range<Int>?
    var source: TriggerSource?
    var hook: JSONStringToken?
    var timer: JSONStringToken?
    var ruleID: JSONStringToken?
    var ruleRef: JSONStringToken?
    var triggerInstance: JSONStringToken?
    var execution: JSONStringToken?
    var action: JSONStringToken?
    var runID: JSONStringToken?
    var attempt: UInt32?
    var status: JSONStringToken?
    var parent: JSONStringToken?
    var rerunOf: JSONStringToken?
    var input: Range<Int>?
    var output: Range<Int>?
    var durationMs: Double?
    var failure: FailureClass?
    var failureMessage: JSONStringToken?
    var event: JSONStringToken?
    var details: Range<Int>?
    var node: JSONStringToken?
    var tag: JSONStringToken?
    var origin: EntityRefSlot?
    var entity: EntityRefSlot?
    var otlp: Range<Int>?
}

/// A `trace` object as read: an id, and a tag still in the line (nil when absent or empty).
struct TraceSlot {
    var id: TraceID?
    var tag: JSONStringToken?
}

/// A `{"type", "id"}` object as read, its id still in the line.
struct EntityRefSlot {
    var type: EntityType
    var id: JSONStringToken
}

extension NativeLineParser {
    /// Checks the keys read against the line's type: every present key allowed, every required key present.
    func checkKeys(of fields: NativeFields) throws(NativeEventError) -> NativeEventType {
        guard let type = fields.type else { throw fieldError("type", "missing (required)") }
        if let key = NativeKeySet(rawValue: fields.present.rawValue & ~type.allowedKeys.rawValue).first {
            throw fieldError(key.fieldName, "not allowed in \(type.name) events")
        }
        if let key = NativeKeySet(rawValue: type.requiredKeys.rawValue & ~fields.present.rawValue).first {
            throw fieldError(key.fieldName, "missing (required in \(type.name) events)")
        }
        // A flow event is Selinon's: an event name Selinon does not define is a typo or another system's event.
        if type == .flowEvent, let event = fields.event, !SelinonEventName.isKnown(string(event)) {
            throw fieldError("event", "unknown Selinon event \(excerpt(event.token))")
        }
        return type
    }

    /// The id of the trace a `trace` line creates.
    func traceStartID(of fields: NativeFields) throws(NativeEventError) -> TraceID {
        let token = fields.id!  // Required in `trace` lines, checked by `checkKeys(of:)`.
        guard let id = matchKey(token, TraceIDHex.parse) else {
            throw fieldError("id", "\(TraceIDHex.expectation), got \(excerpt(token.token))")
        }
        return id
    }

    /// The record body of a line that passed ``checkKeys(of:)``. Not throwing, so that the body is built in
    /// place rather than copied out.
    @inline(__always)
    func makeBody(_ type: NativeEventType, from fields: NativeFields) -> RecordBody {
        switch type {
        case .triggerInstance: .triggerInstance(triggerInstance(from: fields))
        case .ruleEnforcement: .ruleEnforcement(ruleEnforcement(from: fields))
        case .execution: .executionAttempt(executionAttempt(from: fields))
        case .flowEvent: .flowEvent(flowEvent(from: fields))
        case .causationLink: .causationLink(causationLink(from: fields))
        case .trace: .traceStart(TraceStart(tag: string(fields.tag!), origin: reference(fields.origin)))
        }
    }

    /// The trace context of a line: the id a `trace` line creates, or the line's `trace` object.
    @inline(__always)
    func makeTraceContext(from fields: NativeFields, traceStartID: TraceID?) -> TraceContext? {
        if let traceStartID { return TraceContext(id: traceStartID) }
        guard let slot = fields.trace else { return nil }
        return TraceContext(id: slot.id, tag: string(slot.tag))
    }

    // Every force unwrap below is of a key in `type.requiredKeys`, checked by `checkKeys(of:)`.

    @inline(__always)
    private func triggerInstance(from fields: NativeFields) -> TriggerInstance {
        TriggerInstance(
            id: string(fields.id!), trigger: string(fields.trigger!), source: fields.source ?? .sensor,
            payload: raw(fields.payload) ?? .emptyObject, causedBy: reference(fields.causedBy),
            hook: string(fields.hook), timer: string(fields.timer))
    }

    @inline(__always)
    private func ruleEnforcement(from fields: NativeFields) -> RuleEnforcement {
        RuleEnforcement(
            id: string(fields.id!), ruleID: string(fields.ruleID!), ruleRef: string(fields.ruleRef!),
            triggerInstanceID: string(fields.triggerInstance!), executionID: string(fields.execution),
            causedBy: reference(fields.causedBy))
    }

    @inline(__always)
    private func executionAttempt(from fields: NativeFields) -> ExecutionAttempt {
        ExecutionAttempt(
            id: string(fields.id!), action: string(fields.action!), runID: string(fields.runID),
            attempt: fields.attempt ?? 1, status: string(fields.status), parent: string(fields.parent),
            rerunOf: string(fields.rerunOf), input: raw(fields.input), output: raw(fields.output),
            durationMs: fields.durationMs, failure: fields.failure, failureMessage: string(fields.failureMessage),
            causedBy: reference(fields.causedBy), otlp: raw(fields.otlp))
    }

    @inline(__always)
    private func flowEvent(from fields: NativeFields) -> FlowEvent {
        FlowEvent(
            event: string(fields.event!), entityID: string(fields.id), node: string(fields.node),
            details: raw(fields.details)!)
    }

    @inline(__always)
    private func causationLink(from fields: NativeFields) -> CausationLink {
        CausationLink(entity: reference(fields.entity)!, causedBy: reference(fields.causedBy)!)
    }

    private func string(_ token: JSONStringToken) -> String {
        scanner.string(token)
    }

    @inline(__always)
    private func string(_ token: JSONStringToken?) -> String? {
        guard let token else { return nil }
        return scanner.string(token)
    }

    @inline(__always)
    private func raw(_ range: Range<Int>?) -> RawJSON? {
        guard let range else { return nil }
        return RawJSON(String(copyingValidUTF8: scanner.slice(range)))
    }

    @inline(__always)
    private func reference(_ slot: EntityRefSlot?) -> EntityRef? {
        guard let slot else { return nil }
        return EntityRef(type: slot.type, id: scanner.string(slot.id))
    }
}
