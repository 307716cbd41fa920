import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwiftProtobuf
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogOTLP
@testable import TraceLogServer

@Suite struct OTLPRoutesTests {
    static let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// One trace: a root and a child, the child first.
    static func request(service: String = "orders") -> OTLPExportTraceServiceRequest {
        func span(_ id: String, parent: String?, name: String) -> OTLPSpan {
            var span = OTLPSpan()
            span.traceID = HexID.decode(traceHex)!
            span.spanID = HexID.decode(id)!
            if let parent { span.parentSpanID = HexID.decode(parent)! }
            span.name = name
            span.startTimeUnixNano = 1_795_000_000_000_000_000
            span.endTimeUnixNano = 1_795_000_000_002_000_000
            return span
        }
        var request = OTLPExportTraceServiceRequest()
        var resource = OTLPResourceSpans()
        var name = OTLPKeyValue()
        name.key = "service.name"
        name.value.value = .stringValue(service)
        resource.resource.attributes = [name]
        var scope = OTLPScopeSpans()
        scope.spans = [
            span("2222222222222222", parent: "1111111111111111", name: "child"),
            span("1111111111111111", parent: nil, name: "root"),
        ]
        resource.scopeSpans = [scope]
        request.resourceSpans = [resource]
        return request
    }

    static func headers(_ contentType: String, gzip: Bool = false, token: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: contentType]
        if gzip { fields[.contentEncoding] = "gzip" }
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    static func gzip(_ bytes: [UInt8]) throws -> ByteBuffer {
        var buffer = ByteBuffer(bytes: bytes)
        return try buffer.compress(with: .gzip())
    }

    @Test(arguments: [("deflate", CompressionAlgorithm.zlib()), ("deflate", .deflate()), ("DEFLATE", .zlib())])
    func deflateBodiesInZlibOrRawFormAreAccepted(encoding: String, algorithm: CompressionAlgorithm) async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            var body = ByteBuffer(bytes: try Self.request().serializedBytes() as [UInt8])
            let response = try await client.execute(
                uri: "/v1/traces", method: .post,
                headers: [.contentType: "application/x-protobuf", .contentEncoding: encoding],
                body: try body.compress(with: algorithm))
            #expect(response.status == .ok)
        }
        #expect(server.recordCount == 3)
    }

    @Test func protobufJSONAndGzipBodiesAreStoredAndTheTraceComesBackWhole() async throws {
        for (contentType, gzip) in [
            ("application/x-protobuf", false), ("application/json", false), ("application/x-protobuf", true),
            ("application/json; charset=utf-8", true),
        ] {
            let server = try TestServer()
            try await server.test(.live) { client in
                let body: [UInt8] =
                    contentType.hasPrefix("application/json")
                    ? OTLPJSONEncoder().encode(Self.request()) : try Self.request().serializedBytes()
                let response = try await client.execute(
                    uri: "/v1/traces", method: .post, headers: Self.headers(contentType, gzip: gzip),
                    body: gzip ? try Self.gzip(body) : ByteBuffer(bytes: body))
                #expect(response.status == .ok, "\(contentType) gzip \(gzip): \(response.text)")
                #expect(
                    response.headers[.contentType]
                        == (contentType.hasPrefix("application/json") ? "application/json" : "application/x-protobuf"))
                if contentType.hasPrefix("application/json") {
                    #expect(response.text == "{}")
                } else {
                    #expect(response.body.readableBytes == 0)
                }
                let trace = try await client.execute(uri: "/v1/traces/\(Self.traceHex)", method: .get)
                #expect(trace.status == .ok)
                #expect(trace.object["tag"] as? String == "orders")
                let components = trace.object["components"] as? [[String: Any]] ?? []
                #expect(components.count == 2)
                let child = components.first { $0["id"] as? String == "2222222222222222" }
                #expect((child?["caused_by"] as? [String: Any])?["id"] as? String == "1111111111111111")
            }
        }
    }

    @Test func aPartialSuccessNamesTheRefusedSpans() async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            var request = Self.request()
            request.resourceSpans[0].scopeSpans[0].spans[1].spanID = Data([1])
            let response = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/x-protobuf"),
                body: ByteBuffer(bytes: try request.serializedBytes() as [UInt8]))
            #expect(response.status == .ok)
            let answer = try OTLPExportTraceServiceResponse(serializedBytes: Array(response.body.readableBytesView))
            #expect(answer.partialSuccess.rejectedSpans == 1)
            #expect(
                answer.partialSuccess.errorMessage.contains(
                    "resourceSpans[0].scopeSpans[0].spans[1]: spanId must be 8 bytes"))
        }
        #expect(server.recordCount == 2)  // the trace start and the child
    }

    @Test func undecodableBodiesGet400AndWriteNothing() async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            let json = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/json"),
                body: ByteBuffer(string: #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}"#))
            #expect(json.status == .badRequest)
            #expect(json.object["code"] as? Int == 3)
            #expect(
                (json.object["message"] as? String)?.hasPrefix(
                    #"field "resourceSpans[0].scopeSpans[0].spans[0].traceId""#) == true)
            let protobuf = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/x-protobuf"),
                body: ByteBuffer(bytes: [0x0A, 0x05, 0x01]))
            #expect(protobuf.status == .badRequest)
            let status = try OTLPRPCStatus(serializedBytes: Array(protobuf.body.readableBytesView))
            #expect(status.code == 3 && status.message.hasPrefix("invalid protobuf"))
            let corrupt = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/json", gzip: true),
                body: ByteBuffer(bytes: [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]))
            #expect(corrupt.status == .badRequest)
            let text = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("text/plain"), body: ByteBuffer(string: "x"))
            #expect(text.status == .unsupportedMediaType)
            let brotli = try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/json", .contentEncoding: "br"],
                body: ByteBuffer(string: "{}"))
            #expect(brotli.status == .unsupportedMediaType)
        }
        #expect(server.recordCount == 0)
    }

    @Test func theTokenAndTheBodyLimitApplyIncludingToTheInflatedSize() async throws {
        let server = try TestServer(token: "s3cret", maximumBodyBytes: 4096)
        try await server.test(.router) { client in
            let body = ByteBuffer(bytes: try Self.request().serializedBytes() as [UInt8])
            let anonymous = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/x-protobuf"), body: body)
            #expect(anonymous.status == .unauthorized)
            // 1 MiB of JSON whitespace compresses to about 1 KiB: refused once inflated, as a body over the limit.
            let bomb = try Self.gzip(Array(repeating: UInt8(ascii: " "), count: 1 << 20) + Array("{}".utf8))
            #expect(bomb.readableBytes < 4096)
            let inflated = try await client.execute(
                uri: "/v1/traces", method: .post,
                headers: Self.headers("application/json", gzip: true, token: "s3cret"),
                body: bomb)
            #expect(inflated.status == .contentTooLarge)
            let large = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/json", token: "s3cret"),
                body: ByteBuffer(bytes: Array(repeating: UInt8(ascii: " "), count: 8192)))
            #expect(large.status == .contentTooLarge)
            let authorized = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/x-protobuf", token: "s3cret"),
                body: body)
            #expect(authorized.status == .ok)
        }
        #expect(server.recordCount == 3)
    }

    @Test func metricsCountTheRouteAndItsSpans() async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            _ = try await client.execute(
                uri: "/v1/traces", method: .post, headers: Self.headers("application/x-protobuf"),
                body: ByteBuffer(bytes: try Self.request().serializedBytes() as [UInt8]))
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains(#"tracelog_http_requests_total{route="/v1/traces",method="POST",status="200"} 1"#))
            #expect(metrics.contains("tracelog_events_accepted_total 2"))
            #expect(metrics.contains("tracelog_records_appended_total 3"))
        }
    }
}
