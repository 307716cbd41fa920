import Hummingbird

/// The route pattern a request matched, for metrics and the access log: `/v1/traces/:id`, never the concrete
/// path, and `unmatched` for every path that matched no route (Hummingbird's router names those `NotFound`), so
/// scanners and typos add no series.
enum RouteLabel {
    static func of(_ context: some RequestContext) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    /// Whether the request matched no route.
    static func isUnmatched(_ context: some RequestContext) -> Bool { of(context) == "unmatched" }
}
