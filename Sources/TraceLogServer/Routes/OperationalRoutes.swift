import Hummingbird
import TraceLog

/// `GET /healthz` (always open), `GET /metrics` (Prometheus text), and the viewer's files (`GET /`,
/// `GET /viewer/{file}`).
struct OperationalRoutes: Sendable {
    let store: WritableTraceStore
    let metrics: ServerMetrics
    let viewer: ViewerAssets

    func add(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in Response.json(.object([("status", .string("ok"))])) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(store: store))))
        }
        router.get("/") { _, _ in try viewer.response(for: "index.html") }
        router.get("/viewer/:file") { _, context in try viewer.response(for: try context.parameters.require("file")) }
    }
}
