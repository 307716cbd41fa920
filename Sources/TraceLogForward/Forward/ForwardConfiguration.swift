/// Where and how `tracelog forward` ships the log.
public struct ForwardConfiguration: Sendable {
    /// The OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces`.
    public var endpoint: String
    /// The forward's name: its cursor is `<log>/forward/<name>.cursor`, so several forwards (to several
    /// endpoints) keep separate positions.
    public var name: String
    /// Extra request headers (`Authorization`, a tenant header, …), sent on every request.
    public var headers: [(name: String, value: String)]
    /// The most records read into one request (a request holds the spans of at most this many records).
    public var batchRecords: Int
    /// Whether to keep following new records after the end of the log (until cancelled), or stop there.
    public var follow: Bool
    /// How often to look for new records while following and idle.
    public var pollInterval: Duration
    /// How long one request may take before it counts as a connection error (and is retried); 10 s by default, the
    /// OpenTelemetry exporters' default. A refused connection also takes this long to fail: the HTTP client keeps
    /// trying to connect until the request's deadline.
    public var requestTimeout: Duration
    /// When to retry and how long to wait.
    public var retry: RetryPolicy
    /// How often the cursor is saved while batches are acknowledged (it is always saved when forwarding stops);
    /// zero saves after every batch. Each save costs two `fsync`s (about 13 ms here), which after every batch held
    /// forward to a fraction of ingest's pace; a crash resends at most this much of the latest traffic.
    public var cursorInterval: Duration

    /// Creates a configuration; every optional argument has the documented default.
    public init(
        endpoint: String, name: String = "default", headers: [(name: String, value: String)] = [],
        batchRecords: Int = 1024, follow: Bool = false, pollInterval: Duration = .milliseconds(200),
        requestTimeout: Duration = .seconds(10), retry: RetryPolicy = RetryPolicy(),
        cursorInterval: Duration = .seconds(1)
    ) {
        self.endpoint = endpoint
        self.name = name
        self.headers = headers
        self.batchRecords = batchRecords
        self.follow = follow
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.cursorInterval = cursorInterval
    }
}

/// Retries of a batch on connection errors and on 429, 502, 503 and 504 (the OTLP/HTTP retryable answers):
/// exponential backoff with jitter, or the server's `Retry-After` when it sends one.
public struct RetryPolicy: Sendable {
    /// The first backoff.
    public var initialDelay: Duration
    /// The longest backoff (the exponential growth stops there).
    public var maximumDelay: Duration
    /// The longest `Retry-After` honoured (a longer one is cut to this).
    public var maximumRetryAfter: Duration
    /// Retries of one batch before giving up; nil retries for ever (the log is the outbox: nothing is lost by
    /// waiting).
    public var maximumRetries: Int?

    /// Creates a policy; defaults: 0.5 s doubling up to 30 s, `Retry-After` up to 5 minutes, retry for ever.
    public init(
        initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30),
        maximumRetryAfter: Duration = .seconds(300), maximumRetries: Int? = nil
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.maximumRetries = maximumRetries
    }

    /// The wait before retry number `retry` (1-based): `initialDelay · 2^(retry−1)`, capped at `maximumDelay`, of
    /// which a random half is taken off ("equal jitter"), so that many forwarders do not retry in step; or the
    /// server's `Retry-After`, capped at `maximumRetryAfter`.
    public func delay(
        beforeRetry retry: Int, retryAfter: Duration?, random: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maximumRetryAfter) }
        var backoff = initialDelay
        for _ in 1..<max(retry, 1) where backoff < maximumDelay { backoff *= 2 }
        backoff = min(backoff, maximumDelay)
        let half = backoff / 2
        let jitterNanoseconds = Int64.random(in: 0...max(Self.nanoseconds(half), 0), using: &random)
        return half + .nanoseconds(jitterNanoseconds)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
