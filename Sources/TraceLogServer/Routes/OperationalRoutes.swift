import Hummingbird
import TraceLog

/// `GET /healthz` and `GET /readyz` (always open; 503 with the reason once the writer stopped, see
/// ``WriterHealth``), `GET /metrics` (Prometheus text), and the viewer's files (`GET /`, `GET /viewer/{file}`).
struct OperationalRoutes: Sendable {
    let store: WritableTraceStore
    let metrics: ServerMetrics
    let viewer: ViewerAssets

    func add(to router: Router<some RequestContext>) {
        router.get("/healthz") { _, _ in WriterHealth(store: store).response }
        router.get("/readyz") { _, _ in WriterHealth(store: store).response }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: metrics.exposition(store: store, health: WriterHealth(store: store)))))
        }
        router.get("/") { _, _ in try viewer.response(for: "index.html") }
        router.get("/viewer/:file") { _, context in try viewer.response(for: try context.parameters.require("file")) }
    }
}
