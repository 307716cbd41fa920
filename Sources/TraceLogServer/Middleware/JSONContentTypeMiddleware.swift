import Foundation
import Hummingbird

/// Answers 415 to a `POST` on a JSON route (`/v1/events`, `/v1/webhooks/{hook}`, `/v1/purge`) whose
/// `Content-Type` is not JSON.
///
/// A web page may send a cross-origin POST without asking first only with `text/plain`, a form type, or no type
/// at all; requiring a JSON type makes the browser ask (a CORS preflight), which this server never grants. So no
/// page a user visits can write to, or purge, a log served without a token. Accepted: `application/json`, any
/// `…/…+json`, and the JSON-lines types `application/x-ndjson`, `application/jsonl`, `application/jsonlines`,
/// `application/x-jsonlines`; parameters such as `charset` are ignored.
struct JSONContentTypeMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether a request goes to a JSON route.
    static func isJSONRoute(_ request: Request) -> Bool {
        guard request.method == .post else { return false }
        let path = request.uri.path
        return path == "/v1/events" || path == "/v1/purge" || path.hasPrefix("/v1/webhooks/")
    }

    /// Whether a `Content-Type` value names JSON or JSON lines.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let mediaType else { return false }
        return [
            "application/json", "application/x-ndjson", "application/jsonl", "application/jsonlines",
            "application/x-jsonlines",
        ].contains(mediaType) || (mediaType.hasSuffix("+json") && mediaType.contains("/"))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if Self.isJSONRoute(request), !Self.isJSON(request.headers[.contentType]) {
            let given = request.headers[.contentType].map { "Content-Type \($0)" } ?? "a missing Content-Type"
            throw APIError(
                .unsupportedMediaType,
                "\(given) is not accepted: send application/json (or application/x-ndjson for JSON lines)")
        }
        return try await next(request, context)
    }
}
