import Hummingbird
import NIOCore
import TraceLog
import TraceLogOTLP

/// `POST /v1/traces`: the OTLP/HTTP trace receiver (protobuf or JSON, optionally gzip or deflate).
///
/// Thin: the body is read (with the server's body limit, which also bounds the inflated size of a gzip body),
/// decompressed, and handed to ``TraceLogOTLP/OTLPTraceReceiver``. Replies as OTLP/HTTP says: 200 with an
/// `ExportTraceServiceResponse` in the request's encoding (`partialSuccess` when spans were refused); 400 with a
/// `google.rpc.Status` when the body does not decode (nothing written); 415 for another content type or encoding.
/// The bearer token and the metrics apply as on every route.
struct OTLPRoutes: Sendable {
    let store: WritableTraceStore
    let metrics: ServerMetrics
    let bodyReader: RequestBodyReader

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/traces") { request, _ in try await traces(request) }
    }

    func traces(_ request: Request) async throws -> Response {
        guard let contentType = request.headers[.contentType], let encoding = OTLPEncoding(contentType: contentType)
        else {
            return Self.reply(
                .unsupportedMediaType, .json,
                OTLPTraceReceiver.errorBody(
                    "Content-Type must be application/x-protobuf or application/json", code: 3, encoding: .json))
        }
        let sent = try await bodyReader.bytes(of: request)
        let body: [UInt8]
        do {
            body = try ContentDecoding.decode(
                sent, contentEncoding: request.headers[.contentEncoding], maximumBytes: bodyReader.maximumBytes)
        } catch {
            switch error {
            case .unsupported(let name):
                return Self.reply(
                    .unsupportedMediaType, encoding,
                    OTLPTraceReceiver.errorBody(
                        "Content-Encoding \(name) is not supported; use gzip or deflate", encoding: encoding))
            case .corrupt(let name):
                return Self.reply(
                    .badRequest, encoding,
                    OTLPTraceReceiver.errorBody("the \(name) body is corrupt or truncated", encoding: encoding))
            case .tooLarge(let limit):
                throw APIError(.contentTooLarge, "request body larger than \(limit) bytes once decompressed")
            }
        }
        do {
            let receipt = try await OTLPTraceReceiver(store: store).receive(body, encoding: encoding)
            metrics.recordIngest(records: receipt.records, accepted: receipt.accepted)
            metrics.recordRejected(receipt.rejected.count)
            return Self.reply(.ok, encoding, receipt.body)
        } catch {
            switch error {
            case .undecodable(let failure):
                return Self.reply(
                    .badRequest, encoding, OTLPTraceReceiver.errorBody(failure.description, encoding: encoding))
            case .storage(let failure): throw failure
            }
        }
    }

    private static func reply(_ status: HTTPResponse.Status, _ encoding: OTLPEncoding, _ body: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: encoding.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
