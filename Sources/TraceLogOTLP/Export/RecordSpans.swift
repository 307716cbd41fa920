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
    private var attachedEvents: [Int: [DraftEvent]] = [:]
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

    /// One span: a draft of TraceLog's own, or a span that came from OTLP with its resource and scope (their spans
    /// emptied).
    enum Emitted {
        case draft(SpanDraft)
        case otlp(OTLPSpan, resource: OTLPResourceSpans, scope: OTLPScopeSpans)
    }

    /// Emits every span, in sequence order of the records that carry them.
    mutating func emit(_ sink: (Emitted) -> Void) {
        for (index, stored) in records.enumerated() {
            let record = stored.record
            switch record.body {
            case .traceStart, .causationLink: continue
            case .triggerInstance(let instance):
                let entity = EntityRef(type: .triggerInstance, id: instance.id)
                var span = baseSpan(for: stored, name: instance.trigger, id: SpanIdentity.id(of: entity))
                var attributes = AttributeList()
                commonAttributes(&attributes, stored: stored, entity: entity)
                attributes.string("tracelog.trigger", instance.trigger)
                attributes.string("tracelog.trigger.source", instance.source.name)
                attributes.string("tracelog.hook", instance.hook)
                attributes.string("tracelog.timer", instance.timer)
                attributes.string("tracelog.payload", instance.payload.text)
                span.attributes = attributes.values
                sink(.draft(span))
            case .ruleEnforcement(let enforcement):
                let entity = EntityRef(type: .rule, id: enforcement.id)
                var span = baseSpan(for: stored, name: enforcement.ruleRef, id: SpanIdentity.id(of: entity))
                var attributes = AttributeList()
                commonAttributes(&attributes, stored: stored, entity: entity)
                attributes.string("tracelog.rule.id", enforcement.ruleID)
                attributes.string("tracelog.rule.ref", enforcement.ruleRef)
                attributes.string("tracelog.trigger_instance.id", enforcement.triggerInstanceID)
                attributes.string("tracelog.execution.id", enforcement.executionID)
                span.attributes = attributes.values
                sink(.draft(span))
            case .executionAttempt(let attempt):
                if attempt.otlp != nil {
                    emitOTLP(attempt, stored: stored, index: index, sink)
                    continue
                }
                let key = AttemptKey(traceID: record.traceID, id: attempt.id, attempt: attempt.attempt)
                guard spanRecord[key] == index else { continue }  // an event of its attempt's span
                sink(.draft(attemptSpan(key, carrier: index)))
            case .flowEvent(let event):
                guard loneFlowEvents.contains(index) else { continue }
                sink(.draft(flowEventSpan(event, stored: stored)))
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

    private func baseSpan(for stored: StoredRecord, name: String, id: UInt64) -> SpanDraft {
        let time = Self.nanoseconds(stored.record.time)
        var span = SpanDraft(traceID: stored.record.traceID, spanID: id, name: name, start: time, end: time)
        if let cause = cause(of: stored) { span.parentSpanID = SpanIdentity.id(of: cause) }
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
    private mutating func attemptSpan(_ key: AttemptKey, carrier: Int) -> SpanDraft {
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
        var span = SpanDraft(
            traceID: key.traceID, spanID: SpanIdentity.id(ofExecution: key.id, attempt: key.attempt),
            name: merged.action, start: Self.nanoseconds(start), end: Self.nanoseconds(end))
        if let cause { span.parentSpanID = SpanIdentity.id(of: cause) }
        if let failure = merged.failure {
            span.statusCode = OTLPStatus.StatusCode.error.rawValue
            span.statusMessage = merged.failureMessage ?? failure.name
        }
        if key.attempt > 1 {
            var relation = AttributeList(capacity: 1)
            relation.string("tracelog.link", "previous_attempt")
            span.links = [
                DraftLink(
                    traceID: key.traceID, spanID: SpanIdentity.id(ofExecution: key.id, attempt: key.attempt - 1),
                    attributes: relation.values)
            ]
        }
        var attributes = AttributeList(capacity: 16)
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
        var events: [DraftEvent] = []
        for index in indexes where index != carrier {
            let stored = records[index]
            guard case .executionAttempt(let attempt) = stored.record.body else { continue }
            var eventAttributes = AttributeList(capacity: 2)
            eventAttributes.string("tracelog.status", attempt.status)
            eventAttributes.int("tracelog.seq", Int64(stored.seq))
            events.append(
                DraftEvent(
                    time: Self.nanoseconds(stored.record.time), name: "tracelog.status",
                    attributes: eventAttributes.values))
        }
        events += attachedEvents[carrier] ?? []
        // In time order; equal times keep record order.
        if events.count > 1 {
            span.events = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
                .map(\.element)
        } else {
            span.events = events
        }
        return span
    }

    private mutating func emitOTLP(
        _ attempt: ExecutionAttempt, stored: StoredRecord, index: Int, _ sink: (Emitted) -> Void
    ) {
        switch Remainder.decode(attempt, traceID: stored.record.traceID) {
        case .success(var resourceSpans):
            var span = resourceSpans.scopeSpans[0].spans[0]
            span.events += (attachedEvents[index] ?? []).map(\.message)
            var scope = resourceSpans.scopeSpans[0]
            scope.spans = []
            resourceSpans.scopeSpans = []
            sink(.otlp(span, resource: resourceSpans, scope: scope))
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
            sink(.draft(span))
        }
    }

    private func flowEventSpan(_ event: FlowEvent, stored: StoredRecord) -> SpanDraft {
        let id = SpanIdentity.hash(
            "flow_event", event.entityID ?? "", event.event, String(stored.record.time.microseconds), event.details.text
        )
        var span = baseSpan(for: stored, name: event.event, id: id)
        if let entity = event.entityID {
            span.parentSpanID = SpanIdentity.id(of: EntityRef(type: .execution, id: entity))
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

    private static func spanEvent(for event: FlowEvent, stored: StoredRecord) -> DraftEvent {
        var attributes = AttributeList(capacity: 3)
        attributes.int("tracelog.seq", Int64(stored.seq))
        attributes.string("tracelog.flow.node", event.node)
        attributes.string("tracelog.flow.details", event.details.text)
        return DraftEvent(time: nanoseconds(stored.record.time), name: event.event, attributes: attributes.values)
    }
}
