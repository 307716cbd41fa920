import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request except the open ones (`/healthz`, `/readyz`, and the
/// viewer's static files, which hold no data: a browser cannot send a bearer token when it loads a page).
///
/// The token is compared in constant time (for a given length), so response times do not reveal how much of
/// a guess was right.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard Self.isOpen(request) || isAuthorized(request.headers[.authorization]) else {
            throw APIError(
                .unauthorized, "missing or wrong bearer token (send Authorization: Bearer <token>)",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }

    /// `/healthz`, `/readyz` and the viewer's files are open; everything else needs the token.
    static func isOpen(_ request: Request) -> Bool {
        let path = request.uri.path
        if path == "/healthz" || path == "/readyz" { return true }
        guard request.method == .get || request.method == .head else { return false }
        return path == "/" || ViewerAssets.isAssetPath(path)
    }

    private func isAuthorized(_ header: String?) -> Bool {
        guard let header else { return false }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return false }
        return Self.constantTimeEqual(Array(header.utf8.dropFirst(scheme.utf8.count)), token)
    }

    /// Compares every byte of the longer input, whatever differs first.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt64(lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= UInt64(left ^ right)
        }
        return difference == 0
    }
}
