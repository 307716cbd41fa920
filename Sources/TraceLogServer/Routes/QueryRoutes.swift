import Hummingbird
import HummingbirdCore
import TraceLog
import TraceLogStorage

/// `GET /v1/traces`, `GET /v1/traces/{id}` (and its `component` and `flow-events`), `GET /v1/runs/{id}` and
/// `GET /v1/diff`: the CLI's queries, with the same filters, the same checks (the library's) and the same JSON
/// shapes (`trace list --json`, `trace get --json`, `run events --json`).
struct QueryRoutes: Sendable {
    let store: TraceStore

    func add(to router: Router<some RequestContext>) {
        router.get("/v1/traces") { request, _ in try listTraces(request.uri) }
        router.get("/v1/traces/:id") { request, context in try trace(try context.parameters.require("id"), request.uri)
        }
        router.get("/v1/traces/:id/component") { request, context in
            try component(try context.parameters.require("id"), request.uri)
        }
        router.get("/v1/traces/:id/flow-events") { request, context in
            try flowEvents(try context.parameters.require("id"), request.uri)
        }
        router.get("/v1/runs/:id") { request, context in try run(try context.parameters.require("id"), request.uri) }
        router.get("/v1/diff") { request, _ in try diff(request.uri) }
    }

    /// How the query parameters spell the library's fields, for its error messages.
    static func spelling(_ field: QueryField) -> String {
        switch field {
        case .tag: "trace_tag"
        case .execution: "execution"
        case .rule: "rule"
        case .triggerInstance: "trigger_instance"
        case .since: "since"
        case .until: "until"
        case .limit: "limit"
        case .offset: "offset"
        case .sort: "sort"
        case .effects: "effects"
        case .node: "node"
        case .attributes: "attributes"
        }
    }

    /// `{"total", "traces"}` and `X-Total-Count`; filters `trace_tag`, `execution`, `rule`, `trigger_instance`,
    /// `since`, `until` (RFC 3339, a date, or a time ago such as `1h`), `failed` (only traces with a failed
    /// execution); `limit` (default 50, -1: all), `offset`, `sort` (`asc` or `desc`, the default);
    /// `allow_damaged` (see ``QueryParameters/damagePolicy()``).
    func listTraces(_ uri: URI) throws -> Response {
        let parameters = try QueryParameters(
            uri,
            allowed: [
                "trace_tag", "execution", "rule", "trigger_instance", "since", "until", "limit", "offset", "sort",
                "failed", "allow_damaged",
            ])
        let request = TraceListRequest(
            tag: parameters.string("trace_tag"), execution: parameters.string("execution"),
            rule: parameters.string("rule"), triggerInstance: parameters.string("trigger_instance"),
            since: parameters.string("since"), until: parameters.string("until"),
            limit: try parameters.integer("limit", default: 50, in: -1...Int.max),
            offset: try parameters.integer("offset", default: 0, in: 0...Int.max),
            sort: parameters.string("sort") ?? "desc", failedOnly: try parameters.flag("failed"))
        let answer = try store.listTraces(
            try Self.checked { () throws(QueryError) in try TraceQuery(request) },
            damage: try parameters.damagePolicy())
        return .json(
            answer.value.json.adding(damage: answer.damage), headers: [.totalCount: String(answer.value.total)])
    }

    /// `trace get --json` for one trace, with the CLI's selection: `execution`, `rule` or `trigger_instance`
    /// (at most one), `effects`, `show_executions`, `show_rules`, `show_trigger_instances`, `hide_noop_triggers`;
    /// `limit` (default -1: all) and `offset` over the selected components, whose count is `total` in the body
    /// and `X-Total-Count`; `summary=true` for `trace get --summary` instead (no selection or page);
    /// `allow_damaged` (see ``QueryParameters/damagePolicy()``). Components are projected a page at a time, so
    /// memory stays bounded for traces of any size.
    func trace(_ id: String, _ uri: URI) throws -> Response {
        let parameters = try QueryParameters(
            uri,
            allowed: [
                "execution", "rule", "trigger_instance", "effects", "show_executions", "show_rules",
                "show_trigger_instances", "hide_noop_triggers", "allow_damaged", "limit", "offset", "summary",
            ])
        if try parameters.flag("summary") { return try traceSummary(id, parameters) }
        var types: Set<EntityType> = []
        if try parameters.flag("show_executions") { types.insert(.execution) }
        if try parameters.flag("show_rules") { types.insert(.rule) }
        if try parameters.flag("show_trigger_instances") { types.insert(.triggerInstance) }
        let (execution, rule, trigger) = (
            parameters.string("execution"), parameters.string("rule"), parameters.string("trigger_instance")
        )
        let (effects, hideNoop) = (try parameters.flag("effects"), try parameters.flag("hide_noop_triggers"))
        let selection = try Self.checked { () throws(QueryError) in
            try ComponentSelection(
                execution: execution, rule: rule, triggerInstance: trigger, effects: effects, types: types,
                hideNoopTriggers: hideNoop)
        }
        let limit = try parameters.integer("limit", default: -1, in: -1...Int.max)
        let answer = try store.traceComponents(
            try Self.traceID(id), selection: selection,
            offset: try parameters.integer("offset", default: 0, in: 0...Int.max),
            limit: limit == -1 ? nil : limit, damage: try parameters.damagePolicy())
        guard let trace = answer.value else {
            throw APIError(.notFound, "trace \(id) not found", damage: answer.damage)
        }
        return .json(trace.json.adding(damage: answer.damage), headers: [.totalCount: String(trace.total)])
    }

    /// `trace get --summary --json`: counts by type and outcome, the time span and the total.
    private func traceSummary(_ id: String, _ parameters: QueryParameters) throws -> Response {
        let selection = [
            "execution", "rule", "trigger_instance", "effects", "show_executions", "show_rules",
            "show_trigger_instances", "hide_noop_triggers", "limit", "offset",
        ]
        if let given = selection.first(where: { parameters.string($0) != nil }) {
            throw APIError.badRequest("summary shows the whole trace: it takes no \(given)")
        }
        let answer = try store.traceSummary(try Self.traceID(id), damage: try parameters.damagePolicy())
        guard let summary = answer.value else {
            throw APIError(.notFound, "trace \(id) not found", damage: answer.damage)
        }
        return .json(summary.json.adding(damage: answer.damage), headers: [.totalCount: String(summary.components)])
    }

    /// One component's details (``ComponentDetails/json``): `type` (`execution`, `rule`, `trigger_instance`)
    /// and `id` are required; 404 when the trace or the component is unknown.
    func component(_ id: String, _ uri: URI) throws -> Response {
        let parameters = try QueryParameters(uri, allowed: ["type", "id", "allow_damaged"])
        guard let typeName = parameters.string("type"), let componentID = parameters.string("id") else {
            throw APIError.badRequest("query parameters type and id (the component) are required")
        }
        guard let type = EntityType(name: typeName) else {
            throw APIError.badRequest(
                "query parameter type: expected execution, rule or trigger_instance, got \(typeName)")
        }
        let answer = try store.trace(try Self.traceID(id), damage: try parameters.damagePolicy())
        guard let trace = answer.value else {
            throw APIError(.notFound, "trace \(id) not found", damage: answer.damage)
        }
        guard let details = trace.details(of: EntityRef(type: type, id: componentID)) else {
            throw APIError.notFound("trace \(id) has no \(typeName) \(componentID)")
        }
        return .json(details.json.adding(damage: answer.damage))
    }

    /// `{"trace_id","events":[…]}`: the trace's Selinon flow events in recorded order (``FlowEventEntry/json``).
    func flowEvents(_ id: String, _ uri: URI) throws -> Response {
        let parameters = try QueryParameters(uri, allowed: ["allow_damaged"])
        let answer = try store.trace(try Self.traceID(id), damage: try parameters.damagePolicy())
        guard let trace = answer.value else {
            throw APIError(.notFound, "trace \(id) not found", damage: answer.damage)
        }
        return .json(
            JSONValue.object([
                ("trace_id", .string(trace.id.description)), ("events", .array(trace.flowEvents.map(\.json))),
            ]).adding(damage: answer.damage))
    }

    /// A run (a trace id, a unique tag, or a Stroma run id) as `run events --json` prints it: `node` keeps one
    /// node's attempts (Stroma's `events_for`), `failures` only failed attempts.
    func run(_ name: String, _ uri: URI) throws -> Response {
        let parameters = try QueryParameters(uri, allowed: ["node", "failures"])
        let failures = try parameters.flag("failures")
        guard let run = try store.run(name) else { throw APIError.notFound("run \(name) not found") }
        return .json(run.json(attempts: run.attempts(node: parameters.string("node"), failuresOnly: failures)))
    }

    /// `RunDiff.json` of runs `a` and `b`; `ignore_run_id` to compare runs of different ids.
    func diff(_ uri: URI) throws -> Response {
        let parameters = try QueryParameters(uri, allowed: ["a", "b", "ignore_run_id"])
        guard let a = parameters.string("a"), let b = parameters.string("b") else {
            throw APIError.badRequest("query parameters a and b (the two runs) are required")
        }
        guard let runA = try store.run(a) else { throw APIError.notFound("run \(a) not found") }
        guard let runB = try store.run(b) else { throw APIError.notFound("run \(b) not found") }
        return .json(RunDiff(runA, runB, ignoreRunID: try parameters.flag("ignore_run_id")).json)
    }

    /// A trace id from the path; 400 when it is not 32 lowercase hex characters.
    static func traceID(_ id: String) throws(APIError) -> TraceID {
        guard let traceID = TraceID(hex: id) else {
            throw .badRequest("trace id \(id): expected 32 lowercase hex characters")
        }
        return traceID
    }

    /// Runs a library check, turning its ``QueryError`` into a 400 that names the query parameter.
    static func checked<Value>(_ body: () throws(QueryError) -> Value) throws(APIError) -> Value {
        do {
            return try body()
        } catch {
            throw .badRequest(error.message(spelling: spelling))
        }
    }
}
