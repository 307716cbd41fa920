import Hummingbird

/// Counts every request and its latency by route pattern, method and status (see ``ServerMetrics``).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let nanoseconds =
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            metrics.recordRequest(
                route: RouteLabel.of(context), method: request.method.rawValue, status: status,
                nanoseconds: nanoseconds)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
