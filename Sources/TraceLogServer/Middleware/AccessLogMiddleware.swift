import Hummingbird
import Logging

/// The access log: one `info` event per request on the `tracelog.access` logger, with `method`, `path`, `route`
/// (the pattern, `unmatched` for none), `status`, `duration_ms` and `bytes` (the response body, when its length
/// is known), after the response is ready. Outermost but for the metrics, so errors turned into responses are
/// logged with their status.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var status = 500
        var bytes: Int?
        defer {
            let elapsed = ContinuousClock.now - start
            let milliseconds =
                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            var metadata: Logger.Metadata = [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "route": "\(RouteLabel.of(context))", "status": "\(status)",
                "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
            ]
            if let bytes { metadata["bytes"] = "\(bytes)" }
            logger.info("request", metadata: metadata)
        }
        let response = try await next(request, context)
        status = response.status.code
        bytes = response.body.contentLength
        return response
    }
}
