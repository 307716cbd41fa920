public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import ServiceLifecycle
public import TraceLog

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP ingest and query server behind `tracelog serve`: webhooks and native events in, the CLI's queries,
/// Prometheus metrics and a web trace viewer out.
///
/// Routes: `POST /v1/webhooks/{hook}`, `POST /v1/events`, `POST /v1/traces` (OTLP/HTTP), `GET /v1/traces`,
/// `GET /v1/traces/{id}`, `GET /v1/traces/{id}/component`, `GET /v1/traces/{id}/flow-events`, `GET /v1/runs/{id}`,
/// `GET /v1/diff`, `POST /v1/purge`, `GET /v1/compare`, `GET /v1/history`, `GET /metrics`, `GET /healthz`,
/// `GET /readyz`,
/// `GET /` (the viewer). Errors are JSON
/// `{"error": …}`. A 2xx on an ingest route means acknowledged per the store's durability mode.
public struct TraceServer: Sendable {
    /// The log served; opened read-write by the caller. The server closes it after a graceful shutdown.
    public let store: WritableTraceStore
    /// Where it listens and what it accepts.
    public let configuration: ServerConfiguration
    /// Where request failures and lifecycle messages go.
    public let logger: Logger
    let metrics = ServerMetrics()

    /// Creates a server for `store`.
    public init(
        store: WritableTraceStore, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger? = nil
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "tracelog.server")
    }

    /// Builds the application: routes, middleware (metrics, JSON errors, the `Host` check, bearer token, JSON
    /// content types), the connection limits (header and idle timeouts, connection cap), a service that flushes and
    /// closes the store once the server has drained its requests on graceful shutdown, and the retention service
    /// when ``ServerConfiguration/retention`` is set.
    ///
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(RequestMetricsMiddleware(metrics: metrics))
        if let accessLog = configuration.accessLog { router.middlewares.add(AccessLogMiddleware(logger: accessLog)) }
        router.middlewares.add(
            ErrorResponseMiddleware(maximumBodyBytes: configuration.maximumBodyBytes, logger: logger))
        router.middlewares.add(
            HostCheckMiddleware(
                policy: HostPolicy(boundHost: configuration.host, allowed: configuration.allowedHosts)))
        if let token = configuration.token { router.middlewares.add(BearerTokenMiddleware(token: token)) }
        router.middlewares.add(JSONContentTypeMiddleware())
        router.middlewares.add(MethodNotAllowedMiddleware())
        let bodyReader = RequestBodyReader(maximumBytes: configuration.maximumBodyBytes)
        IngestRoutes(store: store, metrics: metrics, bodyReader: bodyReader).add(to: router)
        OTLPRoutes(store: store, metrics: metrics, bodyReader: bodyReader).add(to: router)
        QueryRoutes(store: store).add(to: router)
        MaintenanceRoutes(store: store, bodyReader: bodyReader).add(to: router)
        AnalysisRoutes(store: store).add(to: router)
        OperationalRoutes(store: store, metrics: metrics, viewer: ViewerAssets()).add(to: router)
        var services: [any Service] = [StoreShutdownService(store: store, logger: logger)]
        if let retention = configuration.retention {
            services.append(
                RetentionService(
                    store: store, retention: retention, interval: configuration.retentionInterval, logger: logger))
        }
        let counter = ConnectionCounter(limit: configuration.maximumConnections)
        let (headerTimeout, idleTimeout) = (configuration.headerTimeout, configuration.idleTimeout)
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(
                    responder: responder, counter: counter, headerTimeout: headerTimeout, idleTimeout: idleTimeout)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then stops accepting connections, finishes the requests in flight, and
    /// flushes and closes the store. Throws ``ServerConfiguration/Problem`` first if the configuration is refused
    /// (see ``ServerConfiguration/validate()``).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try configuration.validate()
        do {
            try await makeApplication(onListening: onListening).runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ServerConfiguration.Problem(
                description: "port \(configuration.port) on \(configuration.host) is already in use (another server "
                    + "listens there); choose another with --port, or --port 0 for any free port")
        }
    }
}
