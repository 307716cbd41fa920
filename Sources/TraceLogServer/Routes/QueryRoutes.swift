import Hummingbird
import HummingbirdCore
import TraceLog
import TraceLogStorage

/// `GET /v1/traces`, `GET /v1/traces/{id}`, `GET /v1/runs/{id}` and `GET /v1/diff`: the CLI's queries, with
/// the same filters and the same JSON shapes (`trace list --json`, `trace get --json`).
struct QueryRoutes: Sendable {
    let store: TraceStore

    func add(to router: Router<some RequestContext>) {
        router.get("/v1/traces") { request, _ in try listTraces(request.uri) }
        router.get("/v1/traces/:id") { request, context in try trace(try context.parameters.require("id"), request.uri)
        }
        router.get("/v1/runs/:id") { _, context in try run(try context.parameters.require("id")) }
        router.get("/v1/diff") { request, _ in try diff(request.uri) }
    }

    /// `{"total", "traces"}` and `X-Total-Count`; filters `trace_tag`, `execution`, `rule`, `trigger_instance`,
    /// `since`, `until`; `limit` (default 50, -1: all), `offset`, `sort` (`asc` or `desc`, the default);
    /// `allow_damaged` (see ``QueryParameters/damagePolicy()``).
    func listTraces(_ uri: URI) throws -> Response {
        let parameters = try QueryParameters(
            uri,
            allowed: [
                "trace_tag", "execution", "rule", "trigger_instance", "since", "until", "limit", "offset", "sort",
                "allow_damaged",
            ])
        let sort = parameters.string("sort") ?? "desc"
        guard let order = TraceQuery.Order(rawValue: sort) else {
            throw APIError.badRequest("query parameter sort: expected asc or desc, got \(sort)")
        }
        let limit = try parameters.integer("limit", default: 50, in: -1...Int.max)
        let query = TraceQuery(
            tag: parameters.string("trace_tag"), execution: parameters.string("execution"),
            rule: parameters.string("rule"), triggerInstance: parameters.string("trigger_instance"),
            since: try parameters.time("since"), until: try parameters.time("until"),
            limit: limit == -1 ? nil : limit, offset: try parameters.integer("offset", default: 0, in: 0...Int.max),
            order: order)
        let answer = try store.listTraces(query, damage: try parameters.damagePolicy())
        return .json(
            answer.value.json.adding(damage: answer.damage), headers: [.totalCount: String(answer.value.total)])
    }

    /// `trace get --json` for one trace, with the CLI's selection: `execution`, `rule` or `trigger_instance`
    /// (at most one), `effects`, `show_executions`, `show_rules`, `show_trigger_instances`, `hide_noop_triggers`;
    /// `limit` (default -1: all) and `offset` over the selected components, whose count is `total` in the body
    /// and `X-Total-Count`; `summary=true` for `trace get --summary` instead (no selection or page);
    /// `allow_damaged` (see ``QueryParameters/damagePolicy()``).
    func trace(_ id: String, _ uri: URI) throws -> Response {
        let parameters = try QueryParameters(
            uri,
            allowed: [
                "execution", "rule", "trigger_instance", "effects", "show_executions", "show_rules",
                "show_trigger_instances", "hide_noop_triggers", "allow_damaged", "limit", "offset", "summary",
            ])
        if try parameters.flag("summary") { return try traceSummary(id, parameters) }
        let selectors = [
            parameters.string("execution").map { EntityRef(type: .execution, id: $0) },
            parameters.string("rule").map { EntityRef(type: .rule, id: $0) },
            parameters.string("trigger_instance").map { EntityRef(type: .triggerInstance, id: $0) },
        ].compactMap { $0 }
        guard selectors.count <= 1 else {
            throw APIError.badRequest("use at most one of execution, rule and trigger_instance")
        }
        let effects = try parameters.flag("effects")
        if effects, selectors.isEmpty { throw APIError.badRequest("effects needs execution, rule or trigger_instance") }
        var types: Set<EntityType> = []
        if try parameters.flag("show_executions") { types.insert(.execution) }
        if try parameters.flag("show_rules") { types.insert(.rule) }
        if try parameters.flag("show_trigger_instances") { types.insert(.triggerInstance) }
        let selection = ComponentSelection(
            selector: selectors.first, effects: effects, types: types,
            hideNoopTriggers: try parameters.flag("hide_noop_triggers"))
        guard let traceID = TraceID(hex: id) else {
            throw APIError.badRequest("trace id \(id): expected 32 lowercase hex characters")
        }
        let limit = try parameters.integer("limit", default: -1, in: -1...Int.max)
        let answer = try store.traceComponents(
            traceID, selection: selection, offset: try parameters.integer("offset", default: 0, in: 0...Int.max),
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
        guard let traceID = TraceID(hex: id) else {
            throw APIError.badRequest("trace id \(id): expected 32 lowercase hex characters")
        }
        let answer = try store.traceSummary(traceID, damage: try parameters.damagePolicy())
        guard let summary = answer.value else {
            throw APIError(.notFound, "trace \(id) not found", damage: answer.damage)
        }
        return .json(summary.json.adding(damage: answer.damage), headers: [.totalCount: String(summary.components)])
    }

    /// A run (a trace id, a unique tag, or a Stroma run id) as `{"trace_id","tag","run_id","attempts":[…]}`.
    func run(_ name: String) throws -> Response {
        guard let run = try store.run(name) else { throw APIError.notFound("run \(name) not found") }
        return .json(run.json)
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
}
