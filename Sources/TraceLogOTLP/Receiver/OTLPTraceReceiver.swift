import Foundation
import SwiftProtobuf
public import TraceLog
public import TraceLogStorage

/// The two encodings of OTLP/HTTP.
public enum OTLPEncoding: String, Sendable {
    /// `application/x-protobuf`.
    case protobuf
    /// `application/json` (OTLP/JSON).
    case json

    /// The encoding of a `Content-Type` value (parameters such as `; charset=utf-8` ignored); nil for another type.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch mediaType {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }

    /// The `Content-Type` of bodies in this encoding.
    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }
}

/// Why an OTLP export request was not taken.
public enum OTLPReceiveError: Error, Sendable {
    /// The body does not decode: nothing was written (HTTP 400).
    case undecodable(OTLPDecodingError)
    /// The log failed (HTTP 5xx, as on the other ingest routes).
    case storage(LogError)
}

/// What an export request did, and the `ExportTraceServiceResponse` to send back.
public struct OTLPReceipt: Sendable {
    /// Spans stored.
    public var accepted: Int
    /// Spans refused (by the mapping or by trace resolution), with the reasons.
    public var rejected: [String]
    /// Records written (trace starts included).
    public var records: Int
    /// The response body, in the request's encoding: empty when every span was stored, else a partial success.
    public var body: [UInt8]
}

/// The OTLP/HTTP trace receiver behind `POST /v1/traces`: decodes an `ExportTraceServiceRequest`, maps each span to
/// an execution attempt (``SpanMapping``) and ingests them.
///
/// - Guarantees: a body that does not decode writes nothing (``OTLPReceiveError/undecodable(_:)``). Otherwise every
///   span that maps and resolves is stored — spans are independent, so one refused span (a malformed id, a span
///   stored already) does not refuse the others; the response's `partialSuccess` counts and names the refused ones.
///   Spans may arrive in any order and over many requests: a child before its parent is stored and linked.
/// - Cost: one decode, one ingest call (durable per the store's mode before it returns).
public struct OTLPTraceReceiver: Sendable {
    /// The store written to.
    public let store: WritableTraceStore
    /// How many refusal reasons the response's message names (the count covers them all).
    public var reasonsInMessage = 5

    /// Creates a receiver writing to `store`.
    public init(store: WritableTraceStore) {
        self.store = store
    }

    /// Receives one export request body (already decompressed).
    public func receive(_ body: [UInt8], encoding: OTLPEncoding) async throws(OTLPReceiveError) -> OTLPReceipt {
        let request = try Self.decode(body, encoding: encoding)
        let mapped = SpanMapping.events(from: request)
        var rejected = mapped.rejected.map(\.description)
        var accepted = 0
        var records = 0
        if !mapped.spans.isEmpty {
            let result: IngestResult
            do throws(LogError) {
                // Each span is its own unit: one refused span does not refuse the others.
                result = try await store.ingest(IngestBatch(events: mapped.spans.map(\.event), mode: .independent))
            } catch {
                throw .storage(error)
            }
            accepted = result.accepted
            records = result.seqs.count
            rejected += result.rejected.map { "\(mapped.spans[$0.index].path): \($0.error)" }
        }
        var response = OTLPExportTraceServiceResponse()
        if !rejected.isEmpty {
            response.partialSuccess.rejectedSpans = Int64(rejected.count)
            let named = rejected.prefix(reasonsInMessage).joined(separator: "; ")
            let more = rejected.count > reasonsInMessage ? "; and \(rejected.count - reasonsInMessage) more" : ""
            response.partialSuccess.errorMessage =
                "\(rejected.count) of \(rejected.count + accepted) spans rejected: \(named)\(more)"
        }
        return OTLPReceipt(
            accepted: accepted, rejected: rejected, records: records, body: Self.encode(response, encoding))
    }

    /// Decodes a request body in either encoding.
    package static func decode(_ body: [UInt8], encoding: OTLPEncoding) throws(OTLPReceiveError)
        -> OTLPExportTraceServiceRequest
    {
        switch encoding {
        case .json:
            do { return try OTLPJSONDecoder().request(from: body) } catch { throw .undecodable(error) }
        case .protobuf:
            do {
                return try OTLPExportTraceServiceRequest(serializedBytes: body)
            } catch {
                throw .undecodable(OTLPDecodingError(reason: "invalid protobuf ExportTraceServiceRequest: \(error)"))
            }
        }
    }

    /// The body of a response in `encoding`.
    package static func encode(_ response: OTLPExportTraceServiceResponse, _ encoding: OTLPEncoding) -> [UInt8] {
        switch encoding {
        case .json: OTLPJSONEncoder().encode(response)
        case .protobuf: (try? response.serializedBytes()) ?? []
        }
    }

    /// The error body OTLP/HTTP answers a refused request with: a `google.rpc.Status` (code 3, INVALID_ARGUMENT, for
    /// a body that does not decode) in the request's encoding.
    public static func errorBody(_ message: String, code: Int32 = 3, encoding: OTLPEncoding) -> [UInt8] {
        var status = OTLPRPCStatus()
        status.code = code
        status.message = message
        switch encoding {
        case .json: return OTLPJSONEncoder().encode(status)
        case .protobuf: return (try? status.serializedBytes()) ?? []
        }
    }
}
