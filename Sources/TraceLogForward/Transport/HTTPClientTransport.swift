public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// ``OTLPTransport`` over AsyncHTTPClient (HTTP/1.1 or HTTP/2, TLS for `https://`).
public struct HTTPClientTransport: OTLPTransport {
    /// The endpoint URL.
    public let endpoint: String
    private let client: HTTPClient

    /// A transport to `endpoint` on the process's shared client.
    public init(endpoint: String, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.client = client
    }

    public func send(_ body: [UInt8], headers: [(name: String, value: String)], timeout: Duration) async throws
        -> TransportResponse
    {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "User-Agent", value: "tracelog-forward")
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(
            request, timeout: .nanoseconds(RetryPolicy.nanoseconds(timeout)))
        let received = try await response.body.collect(upTo: 1 << 20)
        return TransportResponse(
            status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
            contentType: response.headers.first(name: "Content-Type"), body: Array(received.readableBytesView))
    }
}
