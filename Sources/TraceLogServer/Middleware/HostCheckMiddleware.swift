import Hummingbird

/// Answers 403 to a request whose `Host` header the ``HostPolicy`` does not accept (DNS rebinding), before any
/// route or the token check sees it.
struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: HostPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard policy.allows(authority: request.head.authority) else {
            let host = HostPolicy.hostPart(of: request.head.authority ?? "")
            throw APIError(
                .forbidden,
                "host \(host) is not served here (Host header check against DNS rebinding); "
                    + "start the server with --allowed-host \(host) to serve it")
        }
        return try await next(request, context)
    }
}
