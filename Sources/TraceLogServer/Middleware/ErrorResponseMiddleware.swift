import Hummingbird
import Logging
import NIOCore
import TraceLog

/// Turns every error thrown below it into a JSON response `{"error": …}` with the right status.
///
/// Domain errors map themselves (``HTTPErrorMapping``); Hummingbird's own errors (404 for an unknown route,
/// 405, 413 for an over-long body) keep their status; anything else is a 500 with a fixed message, logged
/// here with its details, which never reach the client.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumBodyBytes: Int
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = apiError(for: error)
            if apiError.status.code >= 500 {
                logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            return .json(apiError.json, status: apiError.status, headers: apiError.headers)
        }
    }

    private func apiError(for error: any Error) -> APIError {
        switch error {
        case let mapped as any HTTPErrorMapping:
            return mapped.apiError
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "request body larger than \(maximumBodyBytes) bytes")
        case let httpError as HTTPError:
            return APIError(httpError.status, httpError.body ?? httpError.status.reasonPhrase.lowercased())
        case let responseError as any HTTPResponseError:
            return APIError(responseError.status, responseError.status.reasonPhrase.lowercased())
        default:
            return APIError(.internalServerError, "internal error")
        }
    }
}
