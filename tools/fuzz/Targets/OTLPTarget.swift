import Foundation
import SwiftProtobuf
import TraceLogIngest
import TraceLogOTLP
import TraceLogStorage

/// (g) The OTLP decoders and the span mapping: the input as a protobuf `ExportTraceServiceRequest`, and as one
/// OTLP/JSON request per line.
///
/// A request that decodes must encode to OTLP/JSON that decodes to the same request (unknown protobuf fields
/// aside); every span the mapping accepts must have a remainder that decodes and gives back the span (ids and name
/// from the attempt), with the same resource and scope; the mapped attempt must round-trip through a native line.
enum OTLPTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        if let request = try? OTLPExportTraceServiceRequest(serializedBytes: Array(input)) {
            try checkRequest(request)
        }
        for line in input.split(separator: UInt8(ascii: "\n")) {
            guard let request = try? OTLPJSONDecoder().request(from: Array(UnsafeRawBufferPointer(rebasing: line)))
            else { continue }
            try checkRequest(request)
        }
    }

    private static func checkRequest(_ decoded: OTLPExportTraceServiceRequest) throws(Violation) {
        var request = decoded
        clearUnknownFields(&request)
        let json = OTLPJSONEncoder().encode(request)
        let again: OTLPExportTraceServiceRequest
        do { again = try OTLPJSONDecoder().request(from: json) } catch {
            throw Violation(
                message: "encoded OTLP/JSON does not decode (\(error)): \(String(decoding: json, as: UTF8.self))")
        }
        try check(again == request, "OTLP/JSON changed the request: \(String(decoding: json, as: UTF8.self))")
        let mapped = SpanMapping.events(from: request)
        var spans: [(OTLPResourceSpans, OTLPScopeSpans, OTLPSpan)] = []
        for resource in request.resourceSpans {
            for scope in resource.scopeSpans { for span in scope.spans { spans.append((resource, scope, span)) } }
        }
        try check(mapped.spans.count + mapped.rejected.count == spans.count, "spans lost by the mapping")
        for mappedSpan in mapped.spans {
            guard case .executionAttempt(let attempt) = mappedSpan.event.body, let traceID = mappedSpan.event.trace?.id
            else { throw Violation(message: "a span did not map to an attempt with a trace id") }
            guard case .success(let restored) = Remainder.decode(attempt, traceID: traceID) else {
                throw Violation(
                    message: "the remainder of \(mappedSpan.path) does not decode: \(attempt.otlp?.text ?? "")")
            }
            let original = try original(of: mappedSpan.path, in: request)
            try check(
                restored.scopeSpans[0].spans[0] == original.2, "\(mappedSpan.path) did not come back from its remainder"
            )
            var resource = original.0
            resource.scopeSpans = []
            var restoredResource = restored
            restoredResource.scopeSpans = []
            try check(restoredResource == resource, "\(mappedSpan.path): the resource did not come back")
            var scope = original.1
            scope.spans = []
            var restoredScope = restored.scopeSpans[0]
            restoredScope.spans = []
            try check(restoredScope == scope, "\(mappedSpan.path): the scope did not come back")
            let record = Record(time: mappedSpan.event.time!, traceID: traceID, body: mappedSpan.event.body)
            let line = NativeEventWriter().line(for: record)
            let parsed: NativeEvent
            do { parsed = try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1) } catch {
                throw Violation(message: "the native line of \(mappedSpan.path) does not parse (\(error)): \(line)")
            }
            try check(parsed.body == record.body, "the native line of \(mappedSpan.path) changed the attempt: \(line)")
        }
    }

    private static func original(of path: String, in request: OTLPExportTraceServiceRequest) throws(Violation)
        -> (OTLPResourceSpans, OTLPScopeSpans, OTLPSpan)
    {
        let numbers = path.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 3 else { throw Violation(message: "bad path \(path)") }
        let resource = request.resourceSpans[numbers[0]]
        let scope = resource.scopeSpans[numbers[1]]
        return (resource, scope, scope.spans[numbers[2]])
    }

    /// Protobuf keeps fields it does not know; OTLP/JSON cannot carry them.
    private static func clearUnknownFields(_ request: inout OTLPExportTraceServiceRequest) {
        request.unknownFields = UnknownStorage()
        for r in request.resourceSpans.indices {
            request.resourceSpans[r].unknownFields = UnknownStorage()
            if request.resourceSpans[r].hasResource { clear(&request.resourceSpans[r].resource) }
            for s in request.resourceSpans[r].scopeSpans.indices {
                request.resourceSpans[r].scopeSpans[s].unknownFields = UnknownStorage()
                if request.resourceSpans[r].scopeSpans[s].hasScope {
                    clear(&request.resourceSpans[r].scopeSpans[s].scope)
                }
                for p in request.resourceSpans[r].scopeSpans[s].spans.indices {
                    clear(&request.resourceSpans[r].scopeSpans[s].spans[p])
                }
            }
        }
    }

    private static func clear(_ resource: inout OTLPResource) {
        resource.unknownFields = UnknownStorage()
        clear(&resource.attributes)
    }

    private static func clear(_ scope: inout OTLPInstrumentationScope) {
        scope.unknownFields = UnknownStorage()
        clear(&scope.attributes)
    }

    private static func clear(_ span: inout OTLPSpan) {
        span.unknownFields = UnknownStorage()
        clear(&span.attributes)
        if span.hasStatus { span.status.unknownFields = UnknownStorage() }
        for index in span.events.indices {
            span.events[index].unknownFields = UnknownStorage()
            clear(&span.events[index].attributes)
        }
        for index in span.links.indices {
            span.links[index].unknownFields = UnknownStorage()
            clear(&span.links[index].attributes)
        }
    }

    private static func clear(_ attributes: inout [OTLPKeyValue]) {
        for index in attributes.indices {
            attributes[index].unknownFields = UnknownStorage()
            if attributes[index].hasValue { clear(&attributes[index].value) }
        }
    }

    private static func clear(_ value: inout OTLPAnyValue) {
        value.unknownFields = UnknownStorage()
        switch value.value {
        case .arrayValue(var array)?:
            array.unknownFields = UnknownStorage()
            for index in array.values.indices { clear(&array.values[index]) }
            value.value = .arrayValue(array)
        case .kvlistValue(var list)?:
            list.unknownFields = UnknownStorage()
            clear(&list.values)
            value.value = .kvlistValue(list)
        default: break
        }
    }
}
