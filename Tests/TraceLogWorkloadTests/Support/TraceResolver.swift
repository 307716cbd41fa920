/// Replays SPEC §2 trace resolution over parsed lines, the way the log would, and records every
/// line that the log would reject or that would put an entity into a second trace.
struct TraceResolver {
    /// The trace (0-based, in order of creation) each line joined.
    private(set) var traceOfLine: [Int] = []
    /// The tag each trace started with (`nil`: an automatic tag).
    private(set) var tagOfTrace: [String?] = []
    /// Entity id → (record type, trace).
    private(set) var entities: [String: (type: String, trace: Int)] = [:]
    /// Human-readable problems, with 1-based line numbers.
    private(set) var violations: [String] = []

    private static let causeTypeToRecordType = [
        "trigger_instance": "trigger_instance", "rule": "rule_enforcement", "execution": "execution",
    ]

    init(_ objects: [[String: Any]]) {
        for (index, object) in objects.enumerated() {
            resolve(object, line: index + 1)
        }
    }

    private mutating func resolve(_ object: [String: Any], line: Int) {
        let type = object.type
        let id = object.id
        let known = entities[id]
        if object["trace"].map({ ($0 as? [String: Any])?["id"] != nil }) == true {
            violations.append("line \(line): writes trace.id")
        }
        var trace: Int
        if let tag = object.tag {
            if known != nil { violations.append("line \(line): \(id) is already in a trace but starts another") }
            trace = newTrace(tag: tag)
        } else if let cause = object.cause {
            trace = joinReferenced(cause.id, expectedType: Self.causeTypeToRecordType[cause.type], line: line)
            if let parent = object.string("parent"), entities[parent]?.trace != trace {
                violations.append("line \(line): parent \(parent) is in another trace than caused_by")
            }
        } else if let parent = object.string("parent") {
            trace = joinReferenced(parent, expectedType: "execution", line: line)
        } else if let known {
            trace = known.trace
        } else {
            if type == "flow_event" { violations.append("line \(line): flow event for unknown entity \(id)") }
            trace = newTrace(tag: nil)
        }
        if let known, known.trace != trace {
            violations.append("line \(line): \(id) would join trace \(trace) but belongs to trace \(known.trace)")
        }
        if let known, type != "flow_event", known.type != type {
            violations.append("line \(line): id \(id) reused by a \(type) (was a \(known.type))")
        }
        if known == nil, type != "flow_event" { entities[id] = (type, trace) }
        traceOfLine.append(trace)

        if let original = object.string("rerun_of"), entities[original]?.type != "execution" {
            violations.append("line \(line): rerun_of \(original) is not an earlier execution")
        }
        if type == "rule_enforcement", let triggerInstance = object.string("trigger_instance") {
            if entities[triggerInstance]?.type != "trigger_instance" {
                violations.append("line \(line): enforcement of unknown trigger instance \(triggerInstance)")
            } else if entities[triggerInstance]?.trace != trace {
                violations.append("line \(line): enforcement outside its trigger instance's trace")
            }
        }
    }

    private mutating func joinReferenced(_ id: String, expectedType: String?, line: Int) -> Int {
        guard let referenced = entities[id] else {
            violations.append("line \(line): no trace found for \(id)")
            return newTrace(tag: nil)
        }
        if referenced.type != expectedType {
            violations.append("line \(line): \(id) is a \(referenced.type), not a \(expectedType ?? "?")")
        }
        return referenced.trace
    }

    private mutating func newTrace(tag: String?) -> Int {
        tagOfTrace.append(tag)
        return tagOfTrace.count - 1
    }
}
