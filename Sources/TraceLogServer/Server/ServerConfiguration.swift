/// How `tracelog serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback by default, so nothing outside the machine can reach the log.
    public var host: String
    /// The TCP port; 0 picks a free one (tests).
    public var port: Int
    /// When set, every route except `/healthz` and the viewer's static files needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Request bodies larger than this get 413 and write nothing.
    public var maximumBodyBytes: Int
    /// The name sent in the `Server` header.
    public var serverName: String

    /// Creates a configuration; every argument has the documented default.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maximumBodyBytes: Int = 8 << 20,
        serverName: String = "tracelog"
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maximumBodyBytes = maximumBodyBytes
        self.serverName = serverName
    }
}
