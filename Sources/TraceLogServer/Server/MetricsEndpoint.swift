public import Hummingbird
import NIOCore

/// A small HTTP endpoint serving Prometheus text at `GET /metrics` (and `GET /healthz`): how `tracelog forward
/// --metrics-port` exposes a forward's metrics.
public struct MetricsEndpoint: Sendable {
    /// The address to bind (loopback by default).
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// The current exposition text.
    public var exposition: @Sendable () -> String

    /// Creates an endpoint.
    public init(host: String = "127.0.0.1", port: Int, exposition: @escaping @Sendable () -> String) {
        self.host = host
        self.port = port
        self.exposition = exposition
    }

    /// The application (a `Service`: run it in a service group); `onListening` gets the bound port.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let router = Router(context: BasicRequestContext.self)
        let exposition = exposition
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: exposition())))
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tracelog"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) })
    }
}
