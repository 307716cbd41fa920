import HTTPTypes
import Hummingbird
import HummingbirdCore
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

/// `GET /v1/compare` and `GET /v1/history`: `tracelog compare` and `tracelog history` over HTTP, with the same
/// JSON; `format=html` returns the self-contained HTML report of `--html` instead.
///
/// - `GET /v1/compare?baseline=SEL&candidate=SEL[&alpha=&min_effect=][&since=&until=]`
///   `[&baseline_since=&baseline_until=&candidate_since=&candidate_until=][&format=json|html]`
/// - `GET /v1/history?runs=SEL[&node=][&since=&until=][&format=json|html]`
///
/// A bad selector or option is a 400, a selector that matches no run a 404.
struct AnalysisRoutes: Sendable {
    let store: TraceStore

    func add(to router: Router<some RequestContext>) {
        router.get("/v1/compare") { request, _ in try compare(request.uri) }
        router.get("/v1/history") { request, _ in try history(request.uri) }
    }

    func compare(_ uri: URI) throws -> Response {
        let parameters = try QueryParameters(
            uri,
            allowed: [
                "baseline", "candidate", "alpha", "min_effect", "since", "until", "baseline_since", "baseline_until",
                "candidate_since", "candidate_until", "format",
            ])
        guard let baseline = parameters.string("baseline"), let candidate = parameters.string("candidate") else {
            throw APIError.badRequest("query parameters baseline and candidate (run selectors) are required")
        }
        let html = try Self.wantsHTML(parameters)
        let options = try ComparisonOptions(
            alpha: try Self.number(parameters, "alpha") ?? 0.01,
            minEffect: try Self.number(parameters, "min_effect") ?? 0.05
        ).validated()
        let (since, until) = (try parameters.time("since"), try parameters.time("until"))
        let baselineSelector = try RunSelector(
            parsing: baseline, since: try parameters.time("baseline_since") ?? since,
            until: try parameters.time("baseline_until") ?? until)
        let candidateSelector = try RunSelector(
            parsing: candidate, since: try parameters.time("candidate_since") ?? since,
            until: try parameters.time("candidate_until") ?? until)
        let comparison = RunSetComparison(
            baseline: try store.runSet(baselineSelector), candidate: try store.runSet(candidateSelector),
            options: options)
        return html ? .html(comparison.htmlReport()) : .json(comparison.json)
    }

    func history(_ uri: URI) throws -> Response {
        let parameters = try QueryParameters(uri, allowed: ["runs", "node", "since", "until", "format"])
        guard let runs = parameters.string("runs") else {
            throw APIError.badRequest("query parameter runs (a run selector) is required")
        }
        let html = try Self.wantsHTML(parameters)
        let selector = try RunSelector(
            parsing: runs, since: try parameters.time("since"), until: try parameters.time("until"))
        let history = try RunHistory(try store.runSet(selector), node: parameters.string("node"))
        return html ? .html(history.htmlReport()) : .json(history.json)
    }

    static func wantsHTML(_ parameters: QueryParameters) throws(APIError) -> Bool {
        switch parameters.string("format") ?? "json" {
        case "json": return false
        case "html": return true
        case let other: throw .badRequest("query parameter format: expected json or html, got \(other)")
        }
    }

    static func number(_ parameters: QueryParameters, _ name: String) throws(APIError) -> Double? {
        guard let text = parameters.string(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .badRequest("query parameter \(name): expected a number, got \(text)")
        }
        return value
    }
}

extension AnalysisError: HTTPErrorMapping {
    var apiError: APIError {
        switch self {
        case .invalidSelector, .invalidOption: APIError(.badRequest, description)
        case .emptySelection: APIError(.notFound, description)
        case .log(let error): error.apiError
        }
    }
}

extension Response {
    /// A self-contained HTML report: no script may run in it, and it loads nothing (styles are inline).
    static func html(_ text: String) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
