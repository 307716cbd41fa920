import TraceLog
import TraceLogStorage

/// One StackStorm trace object being converted (see ``StackStormImporter`` for the mapping).
struct StackStormTrace {
    /// The component lists, in tie-break order.
    static let lists = ["trigger_instances", "rules", "action_executions"]
    /// The keys a trace object may have, built once rather than per trace.
    static let allowedKeys = ["id", "uid", "trace_tag", "start_timestamp"] + lists
    /// The keys a component may have.
    static let componentKeys = ["object_id", "ref", "updated_at", "caused_by"]
    /// The keys a component's cause may have.
    static let causeKeys = ["type", "id"]

    struct Component {
        var list: Int
        var index: Int
        var objectID: String
        var ref: String
        var time: Timestamp
        var cause: EntityRef?
    }

    let reader: FieldReader
    let value: SourceJSON

    func events() throws(ImportError) -> [IncomingEvent] {
        let members = try reader.members(
            of: value, allowed: Self.allowedKeys)
        let tag = try reader.requiredString(members, "trace_tag")
        guard let start = try Self.time(reader, members, "start_timestamp") else {
            throw reader.error("start_timestamp", "missing")
        }
        let traceID = try reader.string(members, "id").flatMap { TraceID(hex: $0) } ?? TraceID.random()
        var components: [Component] = []
        for (list, key) in Self.lists.enumerated() {
            guard let array = members[key], !array.isNull else { continue }
            guard case .array(let elements) = array.value else {
                throw reader.error(key, "expected an array, got \(array.typeName)")
            }
            for (index, element) in elements.enumerated() {
                components.append(try component(element, list: list, index: index, start: start))
            }
        }
        components.sort { ($0.time, $0.list, $0.index) < ($1.time, $1.list, $1.index) }
        let context = TraceLog.TraceContext(id: traceID)
        let origin = components.first { $0.cause == nil }.map { entity(of: $0) }
        var events = [
            IncomingEvent(body: .traceStart(TraceStart(tag: tag, origin: origin)), time: start, trace: context)
        ]
        for component in components {
            events.append(
                IncomingEvent(body: body(of: component, in: components), time: component.time, trace: context))
        }
        return events
    }

    private func component(_ element: SourceJSON, list: Int, index: Int, start: Timestamp) throws(ImportError)
        -> Component
    {
        let item = reader.nested(Self.lists[list]).nested("[\(index)]")
        let members = try item.members(of: element, allowed: Self.componentKeys)
        let objectID = try item.requiredString(members, "object_id")
        let ref = try item.string(members, "ref") ?? ""
        let time = try Self.time(item, members, "updated_at") ?? start
        var cause: EntityRef?
        if let causedBy = members["caused_by"], !causedBy.isNull {
            let causeReader = item.nested("caused_by")
            let link = try causeReader.members(of: causedBy, allowed: Self.causeKeys)
            if !link.isEmpty {
                let type = try causeReader.requiredString(link, "type")
                let id = try causeReader.requiredString(link, "id")
                switch type {
                case "trigger_instance": cause = EntityRef(type: .triggerInstance, id: id)
                case "rule": cause = EntityRef(type: .rule, id: id)
                case "action_execution", "execution": cause = EntityRef(type: .execution, id: id)
                default:
                    throw causeReader.error(
                        "type", "expected trigger_instance, rule or action_execution, got \"\(type)\"")
                }
            }
        }
        if list == 1, cause?.type != .triggerInstance {
            throw item.error(
                "caused_by",
                "a rule needs the trigger instance it matched ({\"type\": \"trigger_instance\", \"id\": …})")
        }
        return Component(list: list, index: index, objectID: objectID, ref: ref, time: time, cause: cause)
    }

    private func entity(of component: Component) -> EntityRef {
        switch component.list {
        case 0: EntityRef(type: .triggerInstance, id: component.objectID)
        case 1: EntityRef(type: .rule, id: Self.enforcementID(component))
        default: EntityRef(type: .execution, id: component.objectID)
        }
    }

    /// `<rule id>:<trigger instance id>`, StackStorm's own id for one firing of a rule.
    static func enforcementID(_ rule: Component) -> String { "\(rule.objectID):\(rule.cause?.id ?? "")" }

    private func body(of component: Component, in all: [Component]) -> RecordBody {
        switch component.list {
        case 0:
            return .triggerInstance(
                TriggerInstance(
                    id: component.objectID, trigger: component.ref, source: Self.source(of: component.ref),
                    causedBy: component.cause))
        case 1:
            let id = Self.enforcementID(component)
            let execution = all.first { $0.list == 2 && $0.cause == EntityRef(type: .rule, id: id) }
            return .ruleEnforcement(
                RuleEnforcement(
                    id: id, ruleID: component.objectID, ruleRef: component.ref,
                    triggerInstanceID: component.cause?.id ?? "", executionID: execution?.objectID,
                    causedBy: component.cause))
        default:
            let parent = component.cause?.type == .execution ? component.cause?.id : nil
            return .executionAttempt(
                ExecutionAttempt(
                    id: component.objectID, action: component.ref, parent: parent, causedBy: component.cause))
        }
    }

    /// The trigger source StackStorm's ref implies.
    static func source(of ref: String) -> TriggerSource {
        switch ref {
        case "core.st2.generic.actiontrigger": .actionTrigger
        case "core.st2.generic.notifytrigger": .notifyTrigger
        case "core.st2.webhook": .webhook
        case "core.st2.IntervalTimer", "core.st2.DateTimer", "core.st2.CronTimer": .timer
        default: .sensor
        }
    }

    /// A StackStorm UTC time: RFC 3339, or with a `+00`/`+0000` offset (`isotime.ISO8601_UTC_REGEX`).
    static func time(_ reader: FieldReader, _ members: JSONMembers, _ key: String) throws(ImportError)
        -> Timestamp?
    {
        guard let text = try reader.string(members, key) else { return nil }
        for candidate in [text, text + ":00", text.hasSuffix("+0000") ? String(text.dropLast(5)) + "Z" : text] {
            if let time = Timestamp(rfc3339: candidate) { return time }
        }
        throw reader.error(key, "expected an ISO 8601 UTC time, got \"\(text)\"")
    }
}
