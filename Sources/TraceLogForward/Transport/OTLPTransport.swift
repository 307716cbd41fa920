/// The answer to one OTLP/HTTP request.
public struct TransportResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Retry-After` header, if any.
    public var retryAfter: String?
    /// The `Content-Type` header, if any.
    public var contentType: String?
    /// The body (at most 1 MiB of it).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, retryAfter: String? = nil, contentType: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.contentType = contentType
        self.body = body
    }
}

/// Sends one OTLP/HTTP protobuf request: the seam between ``OTLPForwarder``'s rules (batches, cursor, retries) and
/// the HTTP client.
public protocol OTLPTransport: Sendable {
    /// POSTs `body` (an `ExportTraceServiceRequest`, `application/x-protobuf`) with `headers`; throws for a connection
    /// error or a timeout (retried), returns any HTTP answer.
    func send(_ body: [UInt8], headers: [(name: String, value: String)], timeout: Duration) async throws
        -> TransportResponse
}
