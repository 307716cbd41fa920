import Foundation
import Hummingbird
import TraceLog
import TraceLogStorage

/// `POST /v1/purge` with `{"before": "<RFC 3339>"}`: retention on the served log, as `tracelog purge --before`
/// does on a log no server holds. Replies `{"deleted_segments", "deleted_records", "start_seq",
/// "carried_trace_starts"}`.
///
/// It needs the bearer token when the server has one, and a JSON content type (415 otherwise), so that no web
/// page can send it cross-origin.
struct MaintenanceRoutes: Sendable {
    let store: WritableTraceStore
    let bodyReader: RequestBodyReader

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/purge") { request, _ in try await purge(request) }
    }

    func purge(_ request: Request) async throws -> Response {
        let body = try await bodyReader.bytes(of: request)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw APIError.badRequest(#"expected a JSON object {"before": "<RFC 3339 time>"}"#)
        }
        if let unknown = object.keys.first(where: { $0 != "before" }) {
            throw APIError.badRequest("unknown key \"\(unknown)\" (expected only \"before\")")
        }
        guard let text = object["before"] as? String, let cutoff = Timestamp(rfc3339: text) else {
            throw APIError.badRequest(#"field "before": expected an RFC 3339 time like 2026-11-22T10:00:00Z"#)
        }
        let result = try await store.purge(before: cutoff)
        return .json(
            .object([
                ("deleted_segments", .int(Int64(result.deletedSegments.count))),
                ("deleted_records", .int(Int64(result.deletedRecords))), ("start_seq", .int(Int64(result.startSeq))),
                ("carried_trace_starts", .int(Int64(result.carriedTraceStarts))),
            ]))
    }
}
