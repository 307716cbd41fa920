public import Logging

/// How `tracelog serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback by default, so nothing outside the machine can reach the log.
    public var host: String
    /// The TCP port; 0 picks a free one (tests).
    public var port: Int
    /// When set, every route except `/healthz`, `/readyz` and the viewer's static files needs
    /// `Authorization: Bearer <token>`.
    public var token: String?
    /// Request bodies larger than this get 413 and write nothing.
    public var maximumBodyBytes: Int
    /// The name sent in the `Server` header.
    public var serverName: String
    /// Host names (or IP literals) accepted in the `Host` header besides the ones the bound address implies (see
    /// ``HostPolicy``); `*` accepts any. A request naming another host gets 403, so a page that rebinds its own
    /// DNS name to this address cannot read the log.
    public var allowedHosts: [String]
    /// Allows binding beyond loopback without a token. Off by default: anyone who can reach such a server could
    /// read and write the log.
    public var insecureNoAuth: Bool
    /// How long a client may take to send a request's head (request line and headers), counted from the
    /// connection's opening or the first byte of the request; the connection is closed after it.
    public var headerTimeout: Duration
    /// How long a kept-alive connection may stay idle between requests, or while a request body is being read
    /// with nothing arriving; the connection is closed after it.
    public var idleTimeout: Duration
    /// Connections served at once; the ones past it get `503` and are closed.
    public var maximumConnections: Int
    /// When set, segments whose records are all older than this are deleted while the server runs (checked
    /// every ``retentionInterval``), as `tracelog purge` does.
    public var retention: Duration?
    /// How often retention runs.
    public var retentionInterval: Duration
    /// Where the access log goes (one event per request, see ``JSONLinesLogHandler``); nil: no access log.
    public var accessLog: Logger?

    /// Creates a configuration; every argument has the documented default.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maximumBodyBytes: Int = 8 << 20,
        serverName: String = "tracelog", allowedHosts: [String] = [], insecureNoAuth: Bool = false,
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), maximumConnections: Int = 1024,
        retention: Duration? = nil, retentionInterval: Duration = .seconds(60), accessLog: Logger? = nil
    ) {
        self.accessLog = accessLog
        self.host = host
        self.port = port
        self.token = token
        self.maximumBodyBytes = maximumBodyBytes
        self.serverName = serverName
        self.allowedHosts = allowedHosts
        self.insecureNoAuth = insecureNoAuth
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.retention = retention
        self.retentionInterval = retentionInterval
    }

    /// Whether ``host`` is reachable from other machines (anything but `localhost`, 127.0.0.0/8 and `::1`).
    public var bindsBeyondLoopback: Bool { !HostPolicy.isLoopback(host) }

    /// A configuration the server refuses to start with.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong and what to do about it.
        public var description: String
    }

    /// Checks the configuration: a bind beyond loopback needs a token (or ``insecureNoAuth``), limits and times
    /// must be positive.
    public func validate() throws(Problem) {
        if token == nil, !insecureNoAuth, bindsBeyondLoopback {
            throw Problem(
                description:
                    "refusing to serve \(host) without a token: anyone who can reach it could read and write the log; "
                    + "set --token (or TRACELOG_TOKEN), or pass --insecure-no-auth if this network is trusted")
        }
        if let token, token.isEmpty { throw Problem(description: "the token must not be empty") }
        guard maximumBodyBytes > 0 else { throw Problem(description: "the body limit must be positive") }
        guard maximumConnections > 0 else { throw Problem(description: "the connection limit must be positive") }
        guard headerTimeout > .zero, idleTimeout > .zero else {
            throw Problem(description: "the header and idle timeouts must be positive")
        }
        if let retention, retention <= .zero { throw Problem(description: "the retention must be positive") }
        guard retentionInterval > .zero else { throw Problem(description: "the retention interval must be positive") }
        for name in allowedHosts where name.isEmpty || name.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw Problem(description: "allowed host \"\(name)\": expected a host name, an IP address or *")
        }
    }
}
