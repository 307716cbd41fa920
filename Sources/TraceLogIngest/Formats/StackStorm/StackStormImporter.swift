import TraceLog
import TraceLogStorage

/// Reads StackStorm traces as `st2 trace get -j` (one object) or `GET /api/v1/traces` / `st2 trace list -j`
/// (an array) print them: `{"id", "trace_tag", "start_timestamp", "trigger_instances", "rules",
/// "action_executions", "uid"}`, each list holding `{"object_id", "ref", "updated_at", "caused_by": {"type", "id"}}`
/// (`caused_by` is `{}` when there is no cause).
///
/// Each trace becomes, in order:
/// 1. a `trace` event creating the trace at `start_timestamp` with tag `trace_tag` and, as origin, its earliest
///    component without a cause. The trace **keeps StackStorm's id when it is 32 lowercase hex characters**;
///    StackStorm's own ids are 24-hex Mongo ObjectIds, which TraceLog ids cannot hold, so such a trace (or one
///    without an id) gets a **new TraceLog id** and is found by its tag (and by any of its components);
/// 2. its components sorted by `updated_at` (ties: trigger instances, then rules, then executions, each in input
///    order), every one naming that trace id explicitly:
///    - trigger instance: id `object_id`, trigger `ref`, source from the ref (`core.st2.generic.actiontrigger` →
///      `action_trigger`, `core.st2.generic.notifytrigger` → `notify_trigger`, `core.st2.webhook` → `webhook`,
///      `core.st2.IntervalTimer`/`DateTimer`/`CronTimer` → `timer`, else `sensor`), payload `{}` (a trace does
///      not carry payloads), cause an `action_execution` → that execution;
///    - rule: StackStorm lists the rule (`object_id` = rule id) once per firing, caused by the trigger instance;
///      it becomes a rule enforcement with id `<rule id>:<trigger instance id>` — exactly the id StackStorm puts in
///      the `caused_by` of the execution the firing started — rule id `object_id`, ref `ref`, trigger instance
///      from `caused_by` (required), and `execution` = the execution caused by that firing, if listed;
///    - execution: id `object_id`, action `ref`, attempt 1, cause `rule` → that enforcement, `action_execution` →
///      that execution, which is also its `parent` (StackStorm only uses that cause for workflow children).
///
/// Cause types accepted: `trigger_instance`, `rule`, `action_execution` (and TraceLog's `execution`). Times may be
/// any RFC 3339 UTC form StackStorm accepts (`Z`, `+00:00`, `+0000`, `+00`, a space separator). Errors name the
/// 0-based element and the field, e.g. `element 1: field "rules[0].caused_by.type"`.
public struct StackStormImporter: Sendable {
    /// The longest accepted trace object in bytes, like the line limit of the line-based formats: a longer one
    /// could make records over the record size limit.
    public var maximumElementLength: Int

    /// Creates an importer.
    public init(maximumElementLength: Int = JSONLinesReader.defaultMaximumLineLength) {
        self.maximumElementLength = maximumElementLength
    }

    /// Converts a whole document (one trace object or an array of them) into events.
    ///
    /// An array is parsed one trace at a time (``ImportDocument/forEachElement(of:format:maximumDepth:buildDepth:_:)``),
    /// so memory holds the events and one trace's tree, not the whole document's. Invalid JSON anywhere is still
    /// reported before a problem of a trace.
    public func events(from json: [UInt8]) throws(ImportError) -> [ImportedEvent] {
        var events: [ImportedEvent] = []
        let isArray = try ImportDocument.forEachElement(of: json, format: .st2) { index, trace throws(ImportError) in
            try append(trace, at: index, of: json, to: &events)
        }
        if isArray { return events }
        let document = try ImportDocument.parse(json, format: .st2)
        guard case .object = document.value else {
            throw ImportError(
                format: .st2, location: .input,
                reason: "expected a trace object or an array of them, got \(document.typeName)")
        }
        try append(document, at: 0, of: json, to: &events)
        return events
    }

    /// Converts one trace object, element `index` of the document.
    private func append(_ trace: SourceJSON, at index: Int, of json: [UInt8], to events: inout [ImportedEvent])
        throws(ImportError)
    {
        let reader = FieldReader(format: .st2, location: .element(index), source: json)
        guard trace.range.count <= maximumElementLength else {
            throw reader.error(nil, "longer than the limit of \(maximumElementLength) bytes")
        }
        events += try StackStormTrace(reader: reader, value: trace).events().map {
            ImportedEvent($0, at: .element(index))
        }
    }
}
