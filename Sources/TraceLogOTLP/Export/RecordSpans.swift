import Foundation
import TraceLogStorage

/// The spans of a run of records (see ``OTLPExporter``): one pass to see which record carries each attempt's span and
/// where flow events attach, one pass to emit spans in sequence order.
///
/// Spans that did not come from OTLP live under the resource `service.name = tracelog` and the scope `tracelog`, with
/// kind INTERNAL and these attributes when they apply: `tracelog.entity.type` and `tracelog.entity.id`,
/// `tracelog.trace.tag`, `tracelog.seq` (the record's sequence number), `tracelog.caused_by.type` and
/// `tracelog.caused_by.id`; trigger instances `tracelog.trigger`, `tracelog.trigger.source`, `tracelog.hook`,
/// `tracelog.timer`, `tracelog.payload` (JSON text); rule enforcements `tracelog.rule.id`, `tracelog.rule.ref`,
/// `tracelog.trigger_instance.id`, `tracelog.execution.id`; attempts `tracelog.attempt`, `tracelog.run_id`,
/// `tracelog.status`, `tracelog.parent`, `tracelog.rerun_of`, `tracelog.failure.class`, `tracelog.failure.message`,
/// `tracelog.duration_ms`, `tracelog.input` and `tracelog.output` (JSON text). Trigger instances and rule
/// enforcements are instants (start = end). An attempt spans from its first record to the latest end
/// (`time + duration_ms`) of its records; a later attempt of an execution has the same parent as the first and links
/// to the attempt before it.
struct RecordSpans {
    /// Statuses of an attempt that has not finished (StackStorm's in-progress states).
    static let inProgressStatuses: Set<String> = [
        "requested", "scheduled", "delayed", "policy-delayed", "pending", "running", "canceling", "pausing", "paused",
        "resuming",
    ]

    private struct AttemptKey: Hashable {
        var traceID: TraceID
        var id: String
        var attempt: UInt32
    }

    private let records: [StoredRecord]
    private let mode: OTLPExporter.Mode
    private let tagOf: (TraceID) -> String?
    private var tags: [TraceID: String?] = [:]
    private let lookupCause: (String) -> EntityRef?
    /// Per execution: its cause, from any of its records here (or looked up).
    private var executionCauses: [String: EntityRef?] = [:]
    /// Per attempt: the indexes of its records (attempts that did not come from OTLP).
    private var attemptRecords: [AttemptKey: [Int]] = [:]
    /// Per attempt: the index of the record that carries its span.
    private var spanRecord: [AttemptKey: Int] = [:]
    /// Causes recorded by causation links, for entities that carry none.
    private var linkedCauses: [EntityRef: EntityRef] = [:]
    /// Flow events attached to the span carried by a record index.
    private var attachedEvents: [Int: [OTLPSpan.Event]] = [:]
    /// Flow events that become spans of their own.
    private var loneFlowEvents: Set<Int> = []

    init(
        records: [StoredRecord], mode: OTLPExporter.Mode, tag: @escaping (TraceID) -> String?,
        executionCause: @escaping (String) -> EntityRef?
    ) {
        self.records = records
        self.mode = mode
        tagOf = tag
        lookupCause = executionCause
        analyse()
    }

    /// Whether an attempt record is its attempt's last word (anything but a bare in-progress status change).
    static func isFinal(_ attempt: ExecutionAttempt) -> Bool {
        if attempt.otlp != nil || attempt.durationMs != nil || attempt.failure != nil || attempt.output != nil {
            return true
        }
        guard let status = attempt.status else { return true }
        return !inProgressStatuses.contains(status.lowercased())
    }

    private mutating func analyse() {
        var byExecution: [String: [AttemptKey]] = [:]
        for (index, stored) in records.enumerated() {
            switch stored.record.body {
            case .executionAttempt(let attempt) where attempt.otlp == nil:
                let key = AttemptKey(traceID: stored.record.traceID, id: attempt.id, attempt: attempt.attempt)
                if attemptRecords[key] == nil { byExecution[attempt.id, default: []].append(key) }
                attemptRecords[key, default: []].append(index)
                if Self.isFinal(attempt) { spanRecord[key] = index }
                if let cause = stored.record.body.cause, executionCauses[attempt.id] == nil {
                    executionCauses[attempt.id] = cause
                }
            case .causationLink(let link):
                if linkedCauses[link.entity] == nil { linkedCauses[link.entity] = link.causedBy }
            default: continue
            }
        }
        if mode == .trace {
            for (key, indexes) in attemptRecords where spanRecord[key] == nil { spanRecord[key] = indexes.last }
        }
        for (index, stored) in records.enumerated() {
            guard case .flowEvent(let event) = stored.record.body else { continue }
            let candidates = (event.entityID.flatMap { byExecution[$0] } ?? []).filter {
                $0.traceID == stored.record.traceID && spanRecord[$0] != nil
            }
            // The attempt in force when the event happened: the latest one begun before it, else the first.
            let started = candidates.filter { attemptRecords[$0]![0] < index }
            guard
                let target = started.max(by: { $0.attempt < $1.attempt })
                    ?? candidates.min(by: { $0.attempt < $1.attempt }),
                let carrier = spanRecord[target]
            else {
                loneFlowEvents.insert(index)
                continue
            }
            attachedEvents[carrier, default: []].append(Self.spanEvent(for: event, stored: stored))
        }
    }

    /// Emits every span, in sequence order of the records that carry them.
    mutating func emit(into builder: inout RequestBuilder) {
        for (index, stored) in records.enumerated() {
            let record = stored.record
            switch record.body {
            case .traceStart, .causationLink: continue
            case .triggerInstance(let instance):
                var span = baseSpan(
                    for: stored, name: instance.trigger, id: SpanIdentity.spanID(of: record.body.entity!))
                var attributes = AttributeList()
                commonAttributes(&attributes, stored: stored, entity: record.body.entity!)
                attributes.string("tracelog.trigger", instance.trigger)
                attributes.string("tracelog.trigger.source", instance.source.name)
                attributes.string("tracelog.hook", instance.hook)
                attributes.string("tracelog.timer", instance.timer)
                attributes.string("tracelog.payload", instance.payload.text)
                span.attributes = attributes.values
                builder.add(span, resource: Self.resource, scope: Self.scope)
            case .ruleEnforcement(let enforcement):
                var span = baseSpan(
                    for: stored, name: enforcement.ruleRef, id: SpanIdentity.spanID(of: record.body.entity!))
                var attributes = AttributeList()
                commonAttributes(&attributes, stored: stored, entity: record.body.entity!)
                attributes.string("tracelog.rule.id", enforcement.ruleID)
                attributes.string("tracelog.rule.ref", enforcement.ruleRef)
                attributes.string("tracelog.trigger_instance.id", enforcement.triggerInstanceID)
                attributes.string("tracelog.execution.id", enforcement.executionID)
                span.attributes = attributes.values
                builder.add(span, resource: Self.resource, scope: Self.scope)
            case .executionAttempt(let attempt):
                if attempt.otlp != nil {
                    emitOTLP(attempt, stored: stored, index: index, into: &builder)
                    continue
                }
                let key = AttemptKey(traceID: record.traceID, id: attempt.id, attempt: attempt.attempt)
                guard spanRecord[key] == index else { continue }  // an event of its attempt's span
                builder.add(attemptSpan(key, carrier: index), resource: Self.resource, scope: Self.scope)
            case .flowEvent(let event):
                guard loneFlowEvents.contains(index) else { continue }
                builder.add(flowEventSpan(event, stored: stored), resource: Self.resource, scope: Self.scope)
            }
        }
    }

    // MARK: Spans

    static let resource: OTLPResourceSpans = {
        var resource = OTLPResourceSpans()
        var attribute = OTLPKeyValue()
        attribute.key = "service.name"
        attribute.value.value = .stringValue("tracelog")
        resource.resource.attributes = [attribute]
        return resource
    }()

    static let scope: OTLPScopeSpans = {
        var scope = OTLPScopeSpans()
        scope.scope.name = "tracelog"
        return scope
    }()

    private static func nanoseconds(_ time: Timestamp) -> UInt64 {
        time.microseconds <= 0 ? 0 : UInt64(time.microseconds) &* 1000
    }

    private func cause(of stored: StoredRecord) -> EntityRef? {
        stored.record.body.cause ?? stored.record.body.entity.flatMap { linkedCauses[$0] }
    }

    private func baseSpan(for stored: StoredRecord, name: String, id: Data) -> OTLPSpan {
        var span = OTLPSpan()
        span.traceID = HexID.bytes(of: stored.record.traceID)
        span.spanID = id
        span.name = name
        span.kind = .internal
        span.startTimeUnixNano = Self.nanoseconds(stored.record.time)
        span.endTimeUnixNano = span.startTimeUnixNano
        if let cause = cause(of: stored) { span.parentSpanID = SpanIdentity.spanID(of: cause) }
        span.status = OTLPStatus()
        return span
    }

    private mutating func commonAttributes(_ attributes: inout AttributeList, stored: StoredRecord, entity: EntityRef) {
        attributes.string("tracelog.entity.type", entity.type.name)
        attributes.string("tracelog.entity.id", entity.id)
        attributes.string("tracelog.trace.tag", tag(of: stored.record.traceID))
        attributes.int("tracelog.seq", Int64(stored.seq))
        if let cause = cause(of: stored) {
            attributes.string("tracelog.caused_by.type", cause.type.name)
            attributes.string("tracelog.caused_by.id", cause.id)
        }
    }

    /// The cause of an execution: from its records here, a causation link here, or the lookup.
    private mutating func executionCause(_ id: String) -> EntityRef? {
        if let known = executionCauses[id] { return known }
        let found = linkedCauses[EntityRef(type: .execution, id: id)] ?? lookupCause(id)
        executionCauses[id] = found
        return found
    }

    private mutating func tag(of traceID: TraceID) -> String? {
        if let known = tags[traceID] { return known }
        let found = tagOf(traceID)
        tags[traceID] = found
        return found
    }

    /// The span of an attempt made from all its records: fields from the latest record that has each, times from
    /// all of them, the other records as status events.
    private mutating func attemptSpan(_ key: AttemptKey, carrier: Int) -> OTLPSpan {
        let indexes = attemptRecords[key]!
        let final = records[carrier]
        guard case .executionAttempt(let last) = final.record.body else { preconditionFailure("not an attempt") }
        var merged = last
        var start = final.record.time
        var end = final.record.time
        for index in indexes {
            let stored = records[index]
            guard case .executionAttempt(let attempt) = stored.record.body else { continue }
            start = min(start, stored.record.time)
            let finish = Timestamp(
                microseconds: stored.record.time.microseconds
                    + Int64(((attempt.durationMs ?? 0).isFinite ? max(attempt.durationMs ?? 0, 0) : 0) * 1000))
            end = max(end, finish)
            merged.runID = merged.runID ?? attempt.runID
            merged.parent = merged.parent ?? attempt.parent
            merged.rerunOf = merged.rerunOf ?? attempt.rerunOf
            merged.input = merged.input ?? attempt.input
            merged.output = merged.output ?? attempt.output
            merged.durationMs = merged.durationMs ?? attempt.durationMs
            merged.causedBy =
                merged.causedBy ?? attempt.causedBy ?? attempt.parent.map { EntityRef(type: .execution, id: $0) }
        }
        let cause = merged.causedBy ?? executionCause(key.id)
        var span = OTLPSpan()
        span.traceID = HexID.bytes(of: key.traceID)
        span.spanID = SpanIdentity.spanID(ofExecution: key.id, attempt: key.attempt)
        span.name = merged.action
        span.kind = .internal
        span.startTimeUnixNano = Self.nanoseconds(start)
        span.endTimeUnixNano = Self.nanoseconds(end)
        if let cause { span.parentSpanID = SpanIdentity.spanID(of: cause) }
        span.status = OTLPStatus()
        if let failure = merged.failure {
            span.status.code = .error
            span.status.message = merged.failureMessage ?? failure.name
        }
        if key.attempt > 1 {
            var link = OTLPSpan.Link()
            link.traceID = span.traceID
            link.spanID = SpanIdentity.spanID(ofExecution: key.id, attempt: key.attempt - 1)
            var relation = AttributeList()
            relation.string("tracelog.link", "previous_attempt")
            link.attributes = relation.values
            span.links = [link]
        }
        var attributes = AttributeList()
        attributes.string("tracelog.entity.type", "execution")
        attributes.string("tracelog.entity.id", key.id)
        attributes.int("tracelog.attempt", Int64(key.attempt))
        attributes.string("tracelog.trace.tag", tag(of: key.traceID))
        attributes.int("tracelog.seq", Int64(final.seq))
        if let cause {
            attributes.string("tracelog.caused_by.type", cause.type.name)
            attributes.string("tracelog.caused_by.id", cause.id)
        }
        attributes.string("tracelog.run_id", merged.runID)
        attributes.string("tracelog.status", merged.status)
        attributes.string("tracelog.parent", merged.parent)
        attributes.string("tracelog.rerun_of", merged.rerunOf)
        attributes.string("tracelog.failure.class", merged.failure?.name)
        attributes.string("tracelog.failure.message", merged.failureMessage)
        if let duration = merged.durationMs { attributes.double("tracelog.duration_ms", duration) }
        attributes.string("tracelog.input", merged.input?.text)
        attributes.string("tracelog.output", merged.output?.text)
        span.attributes = attributes.values
        var events: [OTLPSpan.Event] = []
        for index in indexes where index != carrier {
            let stored = records[index]
            guard case .executionAttempt(let attempt) = stored.record.body else { continue }
            var event = OTLPSpan.Event()
            event.name = "tracelog.status"
            event.timeUnixNano = Self.nanoseconds(stored.record.time)
            var eventAttributes = AttributeList()
            eventAttributes.string("tracelog.status", attempt.status)
            eventAttributes.int("tracelog.seq", Int64(stored.seq))
            event.attributes = eventAttributes.values
            events.append(event)
        }
        events += attachedEvents[carrier] ?? []
        // In time order; equal times keep record order.
        span.events = events.enumerated().sorted {
            ($0.element.timeUnixNano, $0.offset) < ($1.element.timeUnixNano, $1.offset)
        }
        .map(\.element)
        return span
    }

    private mutating func emitOTLP(
        _ attempt: ExecutionAttempt, stored: StoredRecord, index: Int, into builder: inout RequestBuilder
    ) {
        switch Remainder.decode(attempt, traceID: stored.record.traceID) {
        case .success(var resourceSpans):
            var span = resourceSpans.scopeSpans[0].spans[0]
            span.events += attachedEvents[index] ?? []
            var scope = resourceSpans.scopeSpans[0]
            scope.spans = []
            resourceSpans.scopeSpans = []
            builder.add(span, resource: resourceSpans, scope: scope)
        case .failure(let error):
            // A remainder that does not decode (a hand-written native line): the attempt goes out as a TraceLog span,
            // with the remainder's text and the reason, rather than not at all.
            let key = AttemptKey(traceID: stored.record.traceID, id: attempt.id, attempt: attempt.attempt)
            attemptRecords[key] = [index]
            var span = attemptSpan(key, carrier: index)
            var attributes = AttributeList()
            attributes.string("tracelog.otlp", attempt.otlp?.text)
            attributes.string("tracelog.otlp.error", error.description)
            span.attributes += attributes.values
            builder.add(span, resource: Self.resource, scope: Self.scope)
        }
    }

    private func flowEventSpan(_ event: FlowEvent, stored: StoredRecord) -> OTLPSpan {
        let key = "flow_event\u{0}\(event.entityID ?? "")\u{0}\(event.event)\u{0}\(stored.record.time.microseconds)"
        var span = baseSpan(for: stored, name: event.event, id: SpanIdentity.hash(key + "\u{0}" + event.details.text))
        if let entity = event.entityID {
            span.parentSpanID = SpanIdentity.spanID(of: EntityRef(type: .execution, id: entity))
        }
        var attributes = AttributeList()
        attributes.string("tracelog.entity.type", "flow_event")
        attributes.string("tracelog.entity.id", event.entityID)
        attributes.int("tracelog.seq", Int64(stored.seq))
        attributes.string("tracelog.flow.event", event.event)
        attributes.string("tracelog.flow.node", event.node)
        attributes.string("tracelog.flow.details", event.details.text)
        span.attributes = attributes.values
        return span
    }

    private static func spanEvent(for event: FlowEvent, stored: StoredRecord) -> OTLPSpan.Event {
        var spanEvent = OTLPSpan.Event()
        spanEvent.name = event.event
        spanEvent.timeUnixNano = nanoseconds(stored.record.time)
        var attributes = AttributeList()
        attributes.int("tracelog.seq", Int64(stored.seq))
        attributes.string("tracelog.flow.node", event.node)
        attributes.string("tracelog.flow.details", event.details.text)
        spanEvent.attributes = attributes.values
        return spanEvent
    }
}

/// Builds a list of attributes, leaving out absent values.
struct AttributeList {
    private(set) var values: [OTLPKeyValue] = []

    mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        append(key, .stringValue(value))
    }

    mutating func int(_ key: String, _ value: Int64) { append(key, .intValue(value)) }

    mutating func double(_ key: String, _ value: Double) { append(key, .doubleValue(value)) }

    private mutating func append(_ key: String, _ value: OTLPAnyValue.OneOf_Value) {
        var attribute = OTLPKeyValue()
        attribute.key = key
        attribute.value.value = value
        values.append(attribute)
    }
}
