import HTTPTypes
import Hummingbird

/// 405 with an `Allow` header when a request names a route with a method it does not take (`DELETE
/// /v1/traces`), instead of the router's 404: the path is right, the method is not.
///
/// Innermost, so it sees the router's "no route" error; the table lists every route of ``TraceServer``.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path patterns (`*` matches one segment) and the methods each takes.
    static var routes: [(pattern: [Substring], methods: [String])] {
        [
            ("/v1/webhooks/*", ["POST"]), ("/v1/events", ["POST"]), ("/v1/traces", ["GET"]), ("/v1/traces/*", ["GET"]),
            ("/v1/traces/*/component", ["GET"]), ("/v1/traces/*/flow-events", ["GET"]), ("/v1/runs/*", ["GET"]),
            ("/v1/diff", ["GET"]), ("/v1/purge", ["POST"]), ("/v1/compare", ["GET"]), ("/v1/history", ["GET"]),
            ("/metrics", ["GET"]), ("/healthz", ["GET"]), ("/readyz", ["GET"]), ("/", ["GET"]), ("/viewer/*", ["GET"]),
        ].map { ($0.0.split(separator: "/"), $0.1) }
    }

    /// The methods the route at `path` takes; nil when no route has that path.
    static func methods(for path: String) -> [String]? {
        let segments = path.split(separator: "/")
        return routes.first { route in
            route.pattern.count == segments.count
                && zip(route.pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && RouteLabel.isUnmatched(context) {
            guard let methods = Self.methods(for: request.uri.path), !methods.contains(request.method.rawValue) else {
                throw error
            }
            throw APIError(
                .methodNotAllowed,
                "method \(request.method.rawValue) is not allowed on \(request.uri.path); use "
                    + methods.joined(separator: " or "),
                headers: [.allow: methods.joined(separator: ", ")])
        }
    }
}
