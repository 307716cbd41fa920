import Foundation
import TraceLogIngest

/// Decodes OTLP/JSON (the protobuf JSON mapping with OTLP's rules, see ``JSONMembers``) into the protobuf messages.
///
/// - Complexity: one pass over a parsed tree of the input (the cold path: whole requests, not the native hot path).
/// - Guarantees: a value of the wrong type, a malformed number, id or base64 string, or a key given twice is an
///   error naming its path; unknown keys are ignored. Ids of the wrong length decode (as protobuf would); the
///   mapping to records rejects their span.
package struct OTLPJSONDecoder: Sendable {
    /// The deepest nesting accepted (objects and arrays), so a hostile body cannot exhaust the stack.
    package static let maximumDepth = 128

    /// Creates a decoder.
    package init() {}

    /// Decodes an `ExportTraceServiceRequest` (a `POST /v1/traces` body, or one line of the Collector's file
    /// exporter).
    package func request(from bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPExportTraceServiceRequest {
        let json = try parse(bytes)
        var request = OTLPExportTraceServiceRequest()
        let object = try JSONMembers(json, path: "")
        for (key, value) in object.members where key == "resourceSpans" {
            request.resourceSpans = try list(value, object.path(key), resourceSpans)
        }
        return request
    }

    /// Decodes one `ResourceSpans` object (the stored remainder of a span is one).
    package func resourceSpans(from bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPResourceSpans {
        try resourceSpans(try parse(bytes), "")
    }

    /// Decodes an `ExportTraceServiceResponse` (what an OTLP/JSON endpoint answers).
    package func response(from bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPExportTraceServiceResponse {
        var response = OTLPExportTraceServiceResponse()
        let object = try JSONMembers(try parse(bytes), path: "")
        for (key, value) in object.members where key == "partialSuccess" {
            let inner = try JSONMembers(value, path: object.path(key))
            response.partialSuccess = OTLPExportTracePartialSuccess()
            for (innerKey, innerValue) in inner.members {
                switch innerKey {
                case "rejectedSpans":
                    response.partialSuccess.rejectedSpans = try JSONScalar.int64(innerValue, inner.path(innerKey))
                case "errorMessage":
                    response.partialSuccess.errorMessage = try JSONScalar.string(innerValue, inner.path(innerKey))
                default: continue
                }
            }
        }
        return response
    }

    private func parse(_ bytes: [UInt8]) throws(OTLPDecodingError) -> SourceJSON {
        do {
            return try SourceJSONParser.parse(bytes, maximumDepth: Self.maximumDepth)
        } catch {
            throw OTLPDecodingError(reason: "invalid JSON at byte \(error.offset): \(error.reason)")
        }
    }

    private func list<Element>(
        _ json: SourceJSON, _ path: String, _ element: (SourceJSON, String) throws(OTLPDecodingError) -> Element
    ) throws(OTLPDecodingError) -> [Element] {
        var result: [Element] = []
        for (index, item) in try JSONScalar.array(json, path).enumerated() {
            result.append(try element(item, "\(path)[\(index)]"))
        }
        return result
    }

    // MARK: Messages

    private func resourceSpans(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPResourceSpans {
        var message = OTLPResourceSpans()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "resource": message.resource = try resource(value, path)
            case "scopeSpans": message.scopeSpans = try list(value, path, scopeSpans)
            case "schemaUrl": message.schemaURL = try JSONScalar.string(value, path)
            default: continue
            }
        }
        return message
    }

    private func resource(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPResource {
        var message = OTLPResource()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "attributes": message.attributes = try list(value, path, keyValue)
            case "droppedAttributesCount": message.droppedAttributesCount = try JSONScalar.uint32(value, path)
            default: continue
            }
        }
        return message
    }

    private func scopeSpans(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPScopeSpans {
        var message = OTLPScopeSpans()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "scope": message.scope = try scope(value, path)
            case "spans": message.spans = try list(value, path, span)
            case "schemaUrl": message.schemaURL = try JSONScalar.string(value, path)
            default: continue
            }
        }
        return message
    }

    private func scope(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPInstrumentationScope {
        var message = OTLPInstrumentationScope()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "name": message.name = try JSONScalar.string(value, path)
            case "version": message.version = try JSONScalar.string(value, path)
            case "attributes": message.attributes = try list(value, path, keyValue)
            case "droppedAttributesCount": message.droppedAttributesCount = try JSONScalar.uint32(value, path)
            default: continue
            }
        }
        return message
    }

    private func span(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPSpan {
        var message = OTLPSpan()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "traceId": message.traceID = try JSONScalar.hexBytes(value, path)
            case "spanId": message.spanID = try JSONScalar.hexBytes(value, path)
            case "traceState": message.traceState = try JSONScalar.string(value, path)
            case "parentSpanId": message.parentSpanID = try JSONScalar.hexBytes(value, path)
            case "flags": message.flags = try JSONScalar.uint32(value, path)
            case "name": message.name = try JSONScalar.string(value, path)
            case "kind":
                let names = [
                    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                    "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
                ]
                let number = try JSONScalar.enumeration(value, path, names: names)
                message.kind = OTLPSpan.SpanKind(rawValue: number) ?? .UNRECOGNIZED(number)
            case "startTimeUnixNano": message.startTimeUnixNano = try JSONScalar.uint64(value, path)
            case "endTimeUnixNano": message.endTimeUnixNano = try JSONScalar.uint64(value, path)
            case "attributes": message.attributes = try list(value, path, keyValue)
            case "droppedAttributesCount": message.droppedAttributesCount = try JSONScalar.uint32(value, path)
            case "events": message.events = try list(value, path, event)
            case "droppedEventsCount": message.droppedEventsCount = try JSONScalar.uint32(value, path)
            case "links": message.links = try list(value, path, link)
            case "droppedLinksCount": message.droppedLinksCount = try JSONScalar.uint32(value, path)
            case "status": message.status = try status(value, path)
            default: continue
            }
        }
        return message
    }

    private func event(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPSpan.Event {
        var message = OTLPSpan.Event()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "timeUnixNano": message.timeUnixNano = try JSONScalar.uint64(value, path)
            case "name": message.name = try JSONScalar.string(value, path)
            case "attributes": message.attributes = try list(value, path, keyValue)
            case "droppedAttributesCount": message.droppedAttributesCount = try JSONScalar.uint32(value, path)
            default: continue
            }
        }
        return message
    }

    private func link(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPSpan.Link {
        var message = OTLPSpan.Link()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "traceId": message.traceID = try JSONScalar.hexBytes(value, path)
            case "spanId": message.spanID = try JSONScalar.hexBytes(value, path)
            case "traceState": message.traceState = try JSONScalar.string(value, path)
            case "attributes": message.attributes = try list(value, path, keyValue)
            case "droppedAttributesCount": message.droppedAttributesCount = try JSONScalar.uint32(value, path)
            case "flags": message.flags = try JSONScalar.uint32(value, path)
            default: continue
            }
        }
        return message
    }

    private func status(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPStatus {
        var message = OTLPStatus()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "message": message.message = try JSONScalar.string(value, path)
            case "code":
                let names = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]
                let number = try JSONScalar.enumeration(value, path, names: names)
                message.code = OTLPStatus.StatusCode(rawValue: number) ?? .UNRECOGNIZED(number)
            default: continue
            }
        }
        return message
    }

    // MARK: Attributes

    private func keyValue(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPKeyValue {
        var message = OTLPKeyValue()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            switch key {
            case "key": message.key = try JSONScalar.string(value, path)
            case "value": message.value = try anyValue(value, path)
            default: continue
            }
        }
        return message
    }

    private func anyValue(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> OTLPAnyValue {
        var message = OTLPAnyValue()
        let object = try JSONMembers(json, path: path)
        for (key, value) in object.members {
            let path = object.path(key)
            let decoded: OTLPAnyValue.OneOf_Value
            switch key {
            case "stringValue": decoded = .stringValue(try JSONScalar.string(value, path))
            case "boolValue": decoded = .boolValue(try JSONScalar.bool(value, path))
            case "intValue": decoded = .intValue(try JSONScalar.int64(value, path))
            case "doubleValue": decoded = .doubleValue(try JSONScalar.double(value, path))
            case "bytesValue": decoded = .bytesValue(try JSONScalar.base64(value, path))
            case "arrayValue":
                var array = OTLPArrayValue()
                let inner = try JSONMembers(value, path: path)
                for (innerKey, innerValue) in inner.members where innerKey == "values" {
                    array.values = try list(innerValue, inner.path(innerKey), anyValue)
                }
                decoded = .arrayValue(array)
            case "kvlistValue":
                var list = OTLPKeyValueList()
                let inner = try JSONMembers(value, path: path)
                for (innerKey, innerValue) in inner.members where innerKey == "values" {
                    list.values = try self.list(innerValue, inner.path(innerKey), keyValue)
                }
                decoded = .kvlistValue(list)
            default: continue
            }
            guard message.value == nil else {
                throw OTLPDecodingError(field: path, reason: "a value holds one of its fields; this is the second")
            }
            message.value = decoded
        }
        return message
    }
}
