public import TraceLog
import TraceLogStorage

/// Reads Selinon's trace output line by line — its JSON sink or its logging sink, mixed freely — and maps it to
/// TraceLog's model (SPEC §5). It keeps state across lines (which flows and tasks it has seen, attempt numbers),
/// so feed it a whole stream in order.
///
/// Mapping:
/// - **Every line** becomes a `flow_event` record: the event name, the host (`node`, or the logging line's host),
///   and `details` byte for byte. Its entity is what the event is about: the task (`task_id`), the node
///   (`node_id`) or child flow (`child_dispatcher_id`) when already seen, else the flow (`dispatcher_id`), else an
///   unseen `task_id`; an event naming none of them (`STORAGE_CONNECT`, `STORAGE_DISCONNECT`, `STORAGE_ISSUE`,
///   `FLOW_RETRY`) is attributed to the entity of the previous line from the same host (else of the previous
///   line): Selinon emits those while handling that task or flow.
/// - **Flows** are executions whose id is the dispatcher id and whose action is the flow name. A top-level flow
///   starts a trace tagged with its flow name (one trace per top-level dispatcher id); `SUBFLOW_SCHEDULE` makes the
///   child flow an execution whose `parent` is the scheduling dispatcher, so it joins the parent's trace. Flow
///   records: `FLOW_SCHEDULE`/`SUBFLOW_SCHEDULE` → `scheduled`, `FLOW_START` → `running`, `FLOW_END` →
///   `succeeded`, `FLOW_FAILURE` → `failed` (`RECOVERABLE` if `will_retry`, else `TERMINAL`),
///   `DISPATCHER_FAILURE` → `failed` (`TERMINAL`); the first line naming an unseen dispatcher records it (no
///   status). Attempt = `retried_count` + 1 when the details carry it. A flow first seen without its
///   `SUBFLOW_SCHEDULE` (say, scheduled in another worker's log) is still a sub-flow when its `parent` details
///   name a task or sub-flow already seen: its parent is that node's dispatcher; otherwise it is top-level.
/// - **Tasks** are executions: id = `task_id`, action = `task_name`, `parent` = `dispatcher_id`, input =
///   `node_args`. `TASK_SCHEDULE` → `scheduled`; `TASK_START` → `running` and starts an attempt (1, then one more
///   after each `TASK_RETRY`); `TASK_END` → `succeeded`; `TASK_RETRY` → `retrying`, failure `RECOVERABLE`;
///   `TASK_FAILURE` → `failed`, failure `TERMINAL`. A task event without a preceding `TASK_START` takes its attempt
///   from the retry count (`TASK_RETRY`: `retried_count`, already counting this retry; `TASK_FAILURE`:
///   `retried_count` + 1). End, retry and failure carry `duration_ms` since the attempt's `TASK_START`, and the
///   failure message is the last line of `what` (the traceback).
///
/// The execution record of a line precedes its flow-event record. Errors name the line and the field.
public struct SelinonImporter: Sendable {
    struct Flow {
        var name: String
        var parent: String?
        var attempt: UInt32 = 1
    }

    struct Task {
        var name: String
        var dispatcher: String?
        var current: UInt32?
        var next: UInt32 = 1
        var started: Timestamp?
    }

    var flows: [String: Flow] = [:]
    var tasks: [String: Task] = [:]
    var lastEntityByHost: [String: String] = [:]
    var lastEntity: String?

    /// Creates an importer with no state.
    public init() {}

    /// Converts one line (without its terminator) into events: up to two execution records (the flow; the task or
    /// the child flow), then the flow-event record. A line that cannot be converted changes no state.
    public mutating func events(fromLine line: some Collection<UInt8>, number: Int) throws(ImportError)
        -> [ImportedEvent]
    {
        try convert(line: line, number: number).events.map { ImportedEvent($0, at: .line(number)) }
    }

    /// Converts one line handed out by a ``JSONLinesReader``.
    public mutating func events(from line: JSONLine) throws(ImportError) -> [ImportedEvent] {
        try events(fromLine: line.bytes, number: line.number)
    }

    /// Converts one line and returns, with its events, the ``Checkpoint`` that undoes what the line changed in
    /// this importer — for when trace resolution rejects the events afterwards (``restore(_:)``). A line that
    /// cannot be converted changes nothing.
    public mutating func convert(line: some Collection<UInt8>, number: Int) throws(ImportError) -> (
        events: [IncomingEvent], checkpoint: Checkpoint
    ) {
        try convert(Self.parse(line: line, number: number))
    }

    /// Parses one line: the part of converting it that neither reads nor changes the importer's state (the
    /// line's JSON, its event name, time and host, the members of `details`), so that the ingest pipeline runs it
    /// on its parse thread, beside the ingest thread's conversion and resolution of earlier lines.
    public static func parse(line: some Collection<UInt8>, number: Int) throws(ImportError) -> SelinonParsedLine {
        let parsed = try SelinonLine.parse(Array(line), lineNumber: number)
        let reader = FieldReader(format: .selinon, location: .line(number), source: parsed.bytes, path: "details")
        return SelinonParsedLine(
            line: parsed, details: SelinonDetails(reader: reader, members: try reader.members(of: parsed.details)))
    }

    /// ``convert(line:number:)`` of a line already parsed with ``parse(line:number:)``.
    public mutating func convert(_ parsed: SelinonParsedLine) throws(ImportError) -> (
        events: [IncomingEvent], checkpoint: Checkpoint
    ) {
        let details = parsed.details
        let checkpoint = Checkpoint(
            of: self, flows: [try details.string("dispatcher_id"), try details.string("child_dispatcher_id")],
            task: try details.string("task_id"), host: parsed.line.host)
        do {
            return (try map(parsed.line, details), checkpoint)
        } catch {
            restore(checkpoint)
            throw error
        }
    }

    /// What one line may change in an importer's state, as it was before the line.
    public struct Checkpoint: Sendable {
        fileprivate var flows: [(id: String, flow: Flow?)] = []
        fileprivate var task: (id: String, task: Task?)?
        fileprivate var lastEntity: String?
        fileprivate var host: (name: String, entity: String?)?

        fileprivate init(of importer: SelinonImporter, flows: [String?], task: String?, host: String?) {
            self.flows = flows.compactMap { $0 }.map { ($0, importer.flows[$0]) }
            self.task = task.map { ($0, importer.tasks[$0]) }
            lastEntity = importer.lastEntity
            self.host = host.map { ($0, importer.lastEntityByHost[$0]) }
        }
    }

    /// Undoes a line's changes (its events were rejected): see ``convert(line:number:)``.
    public mutating func restore(_ checkpoint: Checkpoint) {
        for (id, flow) in checkpoint.flows.reversed() { flows[id] = flow }
        if let (id, task) = checkpoint.task { tasks[id] = task }
        lastEntity = checkpoint.lastEntity
        if let (name, entity) = checkpoint.host { lastEntityByHost[name] = entity }
    }

    private mutating func map(_ line: SelinonLine, _ details: SelinonDetails) throws(ImportError) -> [IncomingEvent] {
        var events: [IncomingEvent] = []
        let dispatcher = try details.string("dispatcher_id")
        let taskID = try details.string("task_id")
        if let dispatcher { try recordFlow(dispatcher, line, details, into: &events) }
        switch line.event {
        case "SUBFLOW_SCHEDULE":
            if let child = try details.string("child_dispatcher_id"), let dispatcher {
                let name = try details.string("child_flow_name") ?? "flow"
                flows[child] = Flow(name: name, parent: dispatcher)
                let body = ExecutionAttempt(
                    id: child, action: name, status: "scheduled", parent: dispatcher, input: details.raw("node_args"))
                events.append(IncomingEvent(body: .executionAttempt(body), time: line.time))
            }
        case "TASK_SCHEDULE", "TASK_START", "TASK_END", "TASK_RETRY", "TASK_FAILURE":
            if let taskID { try recordTask(taskID, dispatcher: dispatcher, line, details, into: &events) }
        default: break
        }
        let entity = try entity(of: line, details, dispatcher: dispatcher, taskID: taskID)
        if let entity {
            lastEntity = entity
            if let host = line.host { lastEntityByHost[host] = entity }
        }
        let flowEvent = FlowEvent(
            event: line.event, entityID: entity, node: line.host, details: RawJSON(line.detailsText))
        events.append(IncomingEvent(body: .flowEvent(flowEvent), time: line.time))
        return events
    }

    /// The entity a flow event is about (see the type's documentation).
    private func entity(of line: SelinonLine, _ details: SelinonDetails, dispatcher: String?, taskID: String?)
        throws(ImportError) -> String?
    {
        if let taskID, tasks[taskID] != nil { return taskID }
        for key in ["node_id", "child_dispatcher_id"] {
            if let id = try details.string(key), tasks[id] != nil || flows[id] != nil { return id }
        }
        if let dispatcher { return dispatcher }
        if let taskID { return taskID }
        return line.host.flatMap { lastEntityByHost[$0] } ?? lastEntity
    }
}

/// One Selinon line parsed, not yet converted: what ``SelinonImporter/parse(line:number:)`` returns.
public struct SelinonParsedLine: Sendable {
    let line: SelinonLine
    let details: SelinonDetails
}
