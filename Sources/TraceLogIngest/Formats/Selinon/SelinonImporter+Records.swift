import TraceLog
import TraceLogStorage

/// Typed access to a Selinon `details` object; errors name `details.<key>`.
struct SelinonDetails {
    let reader: FieldReader
    let members: JSONMembers

    /// A string detail; nil when absent or null.
    func string(_ key: String) throws(ImportError) -> String? {
        try reader.string(members, key)
    }

    /// An integer detail ≥ 0; nil when absent or null.
    func count(_ key: String) throws(ImportError) -> UInt32? {
        try reader.integer(members, key, in: 0...Int64(UInt32.max - 1)).map { UInt32($0) }
    }

    /// A boolean detail; nil when absent or null.
    func bool(_ key: String) throws(ImportError) -> Bool? {
        guard let value = members[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value.value else {
            throw reader.error(key, "expected a boolean, got \(value.typeName)")
        }
        return flag
    }

    /// A detail kept byte for byte; nil when absent or null.
    func raw(_ key: String) -> RawJSON? {
        reader.raw(members, key)
    }

    /// The last non-empty line of a traceback detail (`what`): the exception and its message.
    func message(_ key: String) throws(ImportError) -> String? {
        guard let text = try string(key) else { return nil }
        return text.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) }.map(String.init)
    }
}

extension SelinonImporter {
    /// Records the flow `dispatcher` when the line changes its status, or when it is the first line naming it.
    mutating func recordFlow(
        _ dispatcher: String, _ line: SelinonLine, _ details: SelinonDetails, into events: inout [IncomingEvent]
    ) throws(ImportError) {
        var status: String?
        var failure: FailureClass?
        var message: String?
        switch line.event {
        case "FLOW_SCHEDULE": status = "scheduled"
        case "FLOW_START": status = "running"
        case "FLOW_END": status = "succeeded"
        case "FLOW_FAILURE":
            status = "failed"
            failure = try details.bool("will_retry") == true ? .recoverable : .terminal
        case "DISPATCHER_FAILURE":
            status = "failed"
            failure = .terminal
            message = try details.message("what")
        default: break
        }
        let isNew = flows[dispatcher] == nil
        guard isNew || status != nil else { return }
        let flowName = try details.string("flow_name") ?? "flow"
        var flow = flows[dispatcher] ?? Flow(name: flowName, parent: parentDispatcher(details, excluding: dispatcher))
        if let retried = try details.count("retried_count") { flow.attempt = retried + 1 }
        flows[dispatcher] = flow
        let input = line.event == "FLOW_SCHEDULE" || line.event == "FLOW_START" ? details.raw("node_args") : nil
        let body = ExecutionAttempt(
            id: dispatcher, action: flow.name, attempt: flow.attempt, status: status, parent: flow.parent,
            input: input, failure: failure, failureMessage: message)
        let trace = isNew && flow.parent == nil ? TraceLog.TraceContext(tag: flow.name) : nil
        events.append(IncomingEvent(body: .executionAttempt(body), time: line.time, trace: trace))
    }

    /// The dispatcher of a flow first seen without its `SUBFLOW_SCHEDULE`, found through the parent nodes its
    /// details list (`parent`: `{node name: id or [ids]}`, the tasks and flows of the parent flow it depends on).
    func parentDispatcher(_ details: SelinonDetails, excluding dispatcher: String) -> String? {
        guard let parent = details.members["parent"], case .object(let nodes) = parent.value else { return nil }
        for (_, value) in nodes {
            var ids: [String] = []
            switch value.value {
            case .string(let id): ids = [id]
            case .array(let elements): ids = elements.compactMap(\.string)
            default: break
            }
            for id in ids {
                if let owner = tasks[id]?.dispatcher, owner != dispatcher { return owner }
                if let owner = flows[id]?.parent, owner != dispatcher { return owner }
            }
        }
        return nil
    }

    /// Records a task's schedule, attempt start, end, retry or failure.
    mutating func recordTask(
        _ id: String, dispatcher: String?, _ line: SelinonLine, _ details: SelinonDetails,
        into events: inout [IncomingEvent]
    ) throws(ImportError) {
        let taskName = try details.string("task_name") ?? "task"
        var task = tasks[id] ?? Task(name: taskName, dispatcher: dispatcher)
        let retried = try details.count("retried_count")
        let attempt: UInt32
        var status: String
        var failure: FailureClass?
        switch line.event {
        case "TASK_SCHEDULE":
            attempt = task.next
            status = "scheduled"
        case "TASK_START":
            attempt = task.next
            task.current = attempt
            task.started = line.time
            status = "running"
        case "TASK_RETRY":
            let userRetry = try details.bool("user_retry") == true
            attempt = task.current ?? (userRetry ? task.next : max(retried ?? 1, 1))
            task.next = attempt + 1
            status = "retrying"
            failure = .recoverable
        case "TASK_FAILURE":
            attempt = task.current ?? (retried ?? 0) + 1
            status = "failed"
            failure = .terminal
        default:  // TASK_END
            attempt = task.current ?? task.next
            status = "succeeded"
        }
        var duration: Double?
        if line.event != "TASK_SCHEDULE", line.event != "TASK_START", task.current == attempt,
            let started = task.started
        {
            duration = Double(line.time.microseconds - started.microseconds) / 1000
        }
        if line.event == "TASK_RETRY" || line.event == "TASK_FAILURE" || line.event == "TASK_END" {
            task.current = nil
            task.started = nil
        }
        tasks[id] = task
        let input = line.event == "TASK_SCHEDULE" || line.event == "TASK_START" ? details.raw("node_args") : nil
        let message = try failure == nil ? nil : details.message("what")
        let body = ExecutionAttempt(
            id: id, action: task.name, attempt: attempt, status: status, parent: task.dispatcher ?? dispatcher,
            input: input, durationMs: duration.map { max($0, 0) }, failure: failure, failureMessage: message)
        events.append(IncomingEvent(body: .executionAttempt(body), time: line.time))
    }
}
