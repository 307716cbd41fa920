public import TraceLog
public import TraceLogStorage

/// Writes records and events as lines of the native event format: what `tracelog replay` prints, and what
/// ``NativeEventParser`` reads back to the same record.
///
/// - Entity records carry `"trace":{"id":"<hex>"}`; a trace start is written as a `trace` line with the
///   trace's id, tag and origin.
/// - Times are RFC 3339 with six fractional digits and `Z`.
/// - Raw JSON values (payload, input, output, details) are written verbatim, except that line breaks
///   between their tokens become spaces, so that the event stays on one line. (A raw value `null` reads back
///   as absent: in the native format `null` is the same as an absent key.)
/// - Strings escape `"`, `\` and control characters; other characters are written as UTF-8.
/// - A duration that is not a finite number (which JSON cannot spell) is left out.
///
/// Keys come in a fixed order: `type`, `id`, `time`, `trace`, the type's own keys, `caused_by`.
public struct NativeEventWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The native line of `record`, without a line terminator.
    public func line(for record: Record) -> String {
        var output = JSONOutput()
        write(event(for: record), to: &output)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// The native line of `event`, without a line terminator.
    ///
    /// A trace-start event is only readable back if its ``NativeEvent/trace`` holds the trace's id.
    public func line(for event: NativeEvent) -> String {
        var output = JSONOutput()
        write(event, to: &output)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Appends the native line of `record` and a `\n` to `buffer`: the way to write many lines without a
    /// `String` per line.
    public func append(_ record: Record, to buffer: inout [UInt8]) {
        var output = JSONOutput(bytes: buffer)
        buffer = []
        write(event(for: record), to: &output)
        output.bytes.append(0x0A)
        buffer = output.bytes
    }

    /// The event a record reads back as: its body, its time, and its trace id as the trace context (an attempt
    /// carrying `otlp` reads back in the OpenTelemetry resolution mode).
    public func event(for record: Record) -> NativeEvent {
        var mode = ResolutionMode.standard
        if case .executionAttempt(let attempt) = record.body, attempt.otlp != nil { mode = .openTelemetry }
        return NativeEvent(body: record.body, time: record.time, trace: TraceContext(id: record.traceID), mode: mode)
    }

    private func write(_ event: NativeEvent, to output: inout JSONOutput) {
        switch event.body {
        case .traceStart(let start):
            output.append("{\"type\":\"trace\"")
            if let id = event.trace?.id { writeMember("id", id.description, to: &output) }
            writeTime(event.time, to: &output)
            writeMember("tag", start.tag, to: &output)
            writeReference("origin", start.origin, to: &output)
        case .triggerInstance(let instance):
            writeHeader("trigger_instance", id: instance.id, event, to: &output)
            writeMember("trigger", instance.trigger, to: &output)
            writeMember("source", instance.source.name, to: &output)
            writeMember("hook", instance.hook, to: &output)
            writeMember("timer", instance.timer, to: &output)
            writeRaw("payload", instance.payload, to: &output)
            writeReference("caused_by", instance.causedBy, to: &output)
        case .ruleEnforcement(let enforcement):
            writeHeader("rule_enforcement", id: enforcement.id, event, to: &output)
            output.append(",\"rule\":{\"id\":")
            output.appendString(enforcement.ruleID)
            output.append(",\"ref\":")
            output.appendString(enforcement.ruleRef)
            output.append("}")
            writeMember("trigger_instance", enforcement.triggerInstanceID, to: &output)
            writeMember("execution", enforcement.executionID, to: &output)
            writeReference("caused_by", enforcement.causedBy, to: &output)
        case .executionAttempt(let attempt):
            writeExecution(attempt, event, to: &output)
        case .causationLink(let link):
            writeHeader("causation_link", id: nil, event, to: &output)
            writeReference("entity", link.entity, to: &output)
            writeReference("caused_by", link.causedBy, to: &output)
        case .flowEvent(let flowEvent):
            writeHeader("flow_event", id: flowEvent.entityID, event, to: &output)
            writeMember("event", flowEvent.event, to: &output)
            writeMember("node", flowEvent.node, to: &output)
            writeRaw("details", flowEvent.details, to: &output)
        }
        output.append("}")
    }

    private func writeExecution(_ attempt: ExecutionAttempt, _ event: NativeEvent, to output: inout JSONOutput) {
        writeHeader("execution", id: attempt.id, event, to: &output)
        writeMember("action", attempt.action, to: &output)
        writeMember("run_id", attempt.runID, to: &output)
        output.append(",")
        output.appendKey("attempt")
        output.appendInteger(UInt64(attempt.attempt))
        writeMember("status", attempt.status, to: &output)
        writeMember("parent", attempt.parent, to: &output)
        writeMember("rerun_of", attempt.rerunOf, to: &output)
        writeRaw("input", attempt.input, to: &output)
        writeRaw("output", attempt.output, to: &output)
        // JSON has no spelling for NaN or ±infinity; the parser never makes them, but a record appended through
        // the library or read from a damaged log can hold one. It is left out, as `null` would be.
        if let duration = attempt.durationMs, duration.isFinite {
            output.append(",")
            output.appendKey("duration_ms")
            output.appendNumber(duration)
        }
        writeMember("failure", attempt.failure?.name, to: &output)
        writeMember("failure_message", attempt.failureMessage, to: &output)
        writeRaw("otlp", attempt.otlp, to: &output)
        writeReference("caused_by", attempt.causedBy, to: &output)
    }

    /// `{"type":…,"id":…,"time":…,"trace":{…}`, leaving the object open.
    private func writeHeader(_ type: StaticString, id: String?, _ event: NativeEvent, to output: inout JSONOutput) {
        output.append("{\"type\":\"")
        output.append(type)
        output.append("\"")
        writeMember("id", id, to: &output)
        writeTime(event.time, to: &output)
        guard let trace = event.trace, trace.id != nil || trace.tag != nil else { return }
        output.append(",\"trace\":{")
        if let id = trace.id {
            output.append("\"id\":\"")
            output.bytes.append(contentsOf: id.description.utf8)
            output.append("\"")
        }
        if let tag = trace.tag {
            if trace.id != nil { output.append(",") }
            output.appendKey("tag")
            output.appendString(tag)
        }
        output.append("}")
    }

    private func writeTime(_ time: Timestamp?, to output: inout JSONOutput) {
        guard let time else { return }
        output.append(",\"time\":\"")
        output.bytes.append(contentsOf: time.description.utf8)
        output.append("\"")
    }

    /// `,"key":"value"`, or nothing for nil.
    private func writeMember(_ key: StaticString, _ value: String?, to output: inout JSONOutput) {
        guard let value else { return }
        output.append(",")
        output.appendKey(key)
        output.appendString(value)
    }

    /// `,"key":<raw JSON>`, or nothing for nil.
    private func writeRaw(_ key: StaticString, _ value: RawJSON?, to output: inout JSONOutput) {
        guard let value else { return }
        output.append(",")
        output.appendKey(key)
        output.appendRaw(value.text)
    }

    /// `,"key":{"type":…,"id":…}`, or nothing for nil.
    private func writeReference(_ key: StaticString, _ reference: EntityRef?, to output: inout JSONOutput) {
        guard let reference else { return }
        output.append(",")
        output.appendKey(key)
        output.append("{\"type\":\"")
        output.bytes.append(contentsOf: reference.type.name.utf8)
        output.append("\",\"id\":")
        output.appendString(reference.id)
        output.append("}")
    }
}
