import Hummingbird
import TraceLog
import TraceLogStorage

/// `POST /v1/webhooks/{hook}` and `POST /v1/events`.
///
/// A 2xx means the request is acknowledged per the log's durability mode: in `sync` mode its records are
/// `fdatasync`'d before the reply is sent. A rejected request writes nothing.
struct IngestRoutes: Sendable {
    let store: WritableTraceStore
    let metrics: ServerMetrics
    let bodyReader: RequestBodyReader

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/webhooks/:hook") { request, context in
            try await webhook(request, hook: try context.parameters.require("hook"))
        }
        router.post("/v1/events") { request, _ in try await events(request) }
    }

    /// 202 `{"trace_id","trace_tag","trigger_instance_id"}`.
    func webhook(_ request: Request, hook: String) async throws -> Response {
        let webhook = try WebhookEvent(
            hook: hook, headers: request.headers, body: try await bodyReader.bytes(of: request))
        let result = try await store.ingest(IngestBatch(events: [webhook.event], mode: .atomic))
        if let rejection = result.rejected.first { throw rejection.error }
        metrics.recordIngest(records: result.seqs.count, accepted: result.accepted)
        // The outcome names the trace: no second lookup.
        guard let traceID = result.outcomes.first?.traceID else {
            throw APIError(.internalServerError, "internal error")
        }
        return .json(
            .object([
                ("trace_id", .string(traceID.description)), ("trace_tag", .string(webhook.traceTag)),
                ("trigger_instance_id", .string(webhook.triggerInstanceID)),
            ]), status: .accepted)
    }

    /// 200 `{"accepted": N, "records": M, "duplicates": K}`; 400 with every bad line when any line is bad (nothing
    /// stored). Duplicates are trigger instances already recorded with the same content: not written again.
    func events(_ request: Request) async throws -> Response {
        let batch = try EventBatchDecoder().decode(try await bodyReader.bytes(of: request))
        let result = try await store.ingest(IngestBatch(events: batch.events, mode: .atomic))
        guard result.rejected.isEmpty else {
            metrics.recordRejected(batch.events.count)
            let lines = result.rejected.map {
                APIError.LineError(line: batch.lines[$0.index], error: $0.error.description)
            }
            throw APIError(
                .badRequest, "\(lines.count) of \(batch.events.count) events rejected; nothing was stored", lines: lines
            )
        }
        metrics.recordIngest(records: result.seqs.count, accepted: result.accepted)
        return .json(
            .object([
                ("accepted", .int(Int64(result.accepted))), ("records", .int(Int64(result.seqs.count))),
                ("duplicates", .int(Int64(result.duplicates))),
            ]))
    }
}
