import Foundation
import SwiftProtobuf
import TraceLog
import TraceLogStorage

@testable import TraceLogOTLP

/// A store over a fresh temporary directory, removed when the value is released.
final class TemporaryStore: Sendable {
    let directory: String
    let store: WritableTraceStore

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-otlp-tests-\(UUID().uuidString)")
            .path
        store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Builders of OTLP messages for tests.
enum OTLPSamples {
    static let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
    static var traceID: TraceID { TraceID(hex: traceHex)! }

    static func bytes(_ hex: String) -> Data { HexID.decode(hex)! }

    static func attribute(_ key: String, _ value: OTLPAnyValue.OneOf_Value) -> OTLPKeyValue {
        var attribute = OTLPKeyValue()
        attribute.key = key
        attribute.value.value = value
        return attribute
    }

    static func span(
        _ id: String, parent: String? = nil, name: String, start: UInt64 = 1_795_000_000_123_456_789,
        durationNanoseconds: UInt64 = 2_500_000, error: String? = nil, trace: String = traceHex
    ) -> OTLPSpan {
        var span = OTLPSpan()
        span.traceID = bytes(trace)
        span.spanID = bytes(id)
        if let parent { span.parentSpanID = bytes(parent) }
        span.name = name
        span.kind = .server
        span.startTimeUnixNano = start
        span.endTimeUnixNano = start + durationNanoseconds
        span.attributes = [attribute("http.route", .stringValue("/orders/{id}")), attribute("retries", .intValue(2))]
        var event = OTLPSpan.Event()
        event.name = "cache.miss"
        event.timeUnixNano = start + 1_000
        event.attributes = [attribute("key", .stringValue("order-7"))]
        span.events = [event]
        span.status = OTLPStatus()
        if let error {
            span.status.code = .error
            span.status.message = error
        }
        return span
    }

    /// A request with one resource (`service.name`) and one scope holding `spans`.
    static func request(_ spans: [OTLPSpan], service: String = "orders") -> OTLPExportTraceServiceRequest {
        var resourceSpans = OTLPResourceSpans()
        resourceSpans.resource.attributes = [attribute("service.name", .stringValue(service))]
        resourceSpans.schemaURL = "https://opentelemetry.io/schemas/1.26.0"
        var scopeSpans = OTLPScopeSpans()
        scopeSpans.scope.name = "orders.http"
        scopeSpans.scope.version = "1.0.0"
        scopeSpans.spans = spans
        resourceSpans.scopeSpans = [scopeSpans]
        var request = OTLPExportTraceServiceRequest()
        request.resourceSpans = [resourceSpans]
        return request
    }

    /// Every span of a request with its resource and scope, keyed by span id (hex), for field-for-field comparisons
    /// that do not depend on how spans are grouped or ordered.
    static func spansByID(_ request: OTLPExportTraceServiceRequest) -> [String: (
        OTLPResourceSpans, OTLPScopeSpans, OTLPSpan
    )] {
        var result: [String: (OTLPResourceSpans, OTLPScopeSpans, OTLPSpan)] = [:]
        for resource in request.resourceSpans {
            var resourceShell = resource
            resourceShell.scopeSpans = []
            for scope in resource.scopeSpans {
                var scopeShell = scope
                scopeShell.spans = []
                for span in scope.spans { result[HexID.encode(span.spanID)] = (resourceShell, scopeShell, span) }
            }
        }
        return result
    }

    /// The fixture file's bytes.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }
}
