import Foundation
import TraceLogIngest

/// Encodes the protobuf messages as OTLP/JSON: lowerCamelCase keys, ids as hex, 64-bit integers as decimal
/// strings, enums as integers, `bytes` values as base64, and default values left out — except that a message
/// field that is present stays present (`"status":{}`), so that decoding gives back an equal message.
///
/// - Complexity: linear in the output; no intermediate tree.
/// - Guarantees: ``OTLPJSONDecoder`` reads the output back to an equal message (unknown protobuf fields aside).
package struct OTLPJSONEncoder: Sendable {
    /// Creates an encoder.
    package init() {}

    /// The JSON of an `ExportTraceServiceRequest`, on one line.
    package func encode(_ request: OTLPExportTraceServiceRequest) -> [UInt8] {
        var writer = ObjectWriter()
        writer.list("resourceSpans", request.resourceSpans) { $0.write($1) }
        return writer.finish()
    }

    /// The JSON of one `ResourceSpans`, on one line, and how deep it nests (the object itself is 1).
    package func encode(_ resourceSpans: OTLPResourceSpans) -> (bytes: [UInt8], depth: Int) {
        var writer = ObjectWriter()
        writer.fields(of: resourceSpans)
        let depth = writer.maximumDepth
        return (writer.finish(), depth)
    }

    /// The JSON of one span object, and how deep it nests (the object itself is 1).
    package func encode(_ span: OTLPSpan) -> (bytes: [UInt8], depth: Int) {
        var writer = ObjectWriter()
        writer.write(span)
        let depth = writer.maximumDepth
        return (writer.finish(), depth)
    }

    /// The JSON of an `ExportTraceServiceResponse`.
    package func encode(_ response: OTLPExportTraceServiceResponse) -> [UInt8] {
        var writer = ObjectWriter()
        if response.hasPartialSuccess {
            writer.object("partialSuccess") { writer in
                writer.int64("rejectedSpans", response.partialSuccess.rejectedSpans)
                writer.string("errorMessage", response.partialSuccess.errorMessage)
            }
        }
        return writer.finish()
    }

    /// The JSON of an error status (`{"code":3,"message":"…"}`).
    package func encode(_ status: OTLPRPCStatus) -> [UInt8] {
        var writer = ObjectWriter()
        if status.code != 0 { writer.rawMember("code", String(status.code)) }
        writer.string("message", status.message)
        return writer.finish()
    }
}

/// Writes one JSON object's members, opening nested objects and arrays; tracks the nesting depth.
private struct ObjectWriter {
    var output = JSONOutput(bytes: [UInt8(ascii: "{")])
    var isFirst = [true]
    var maximumDepth = 1

    mutating func finish() -> [UInt8] {
        output.append("}")
        return output.bytes
    }

    private mutating func key(_ name: StaticString) {
        if isFirst[isFirst.count - 1] { isFirst[isFirst.count - 1] = false } else { output.append(",") }
        output.appendKey(name)
    }

    private mutating func open(_ bracket: StaticString) {
        output.append(bracket)
        isFirst.append(true)
        maximumDepth = max(maximumDepth, isFirst.count)
    }

    private mutating func close(_ bracket: StaticString) {
        output.append(bracket)
        isFirst.removeLast()
    }

    mutating func string(_ name: StaticString, _ value: String) {
        guard !value.isEmpty else { return }
        key(name)
        output.appendString(value)
    }

    mutating func hex(_ name: StaticString, _ value: Data) {
        guard !value.isEmpty else { return }
        key(name)
        output.appendString(HexID.encode(value))
    }

    mutating func int64(_ name: StaticString, _ value: Int64) {
        guard value != 0 else { return }
        key(name)
        output.appendString(String(value))
    }

    mutating func uint64(_ name: StaticString, _ value: UInt64) {
        guard value != 0 else { return }
        key(name)
        output.appendString(String(value))
    }

    mutating func uint32(_ name: StaticString, _ value: UInt32) {
        guard value != 0 else { return }
        rawMember(name, String(value))
    }

    mutating func enumeration(_ name: StaticString, _ value: Int) {
        guard value != 0 else { return }
        rawMember(name, String(value))
    }

    mutating func rawMember(_ name: StaticString, _ text: String) {
        key(name)
        output.appendRaw(text)
    }

    mutating func object(_ name: StaticString, _ body: (inout ObjectWriter) -> Void) {
        key(name)
        open("{")
        body(&self)
        close("}")
    }

    mutating func list<Element>(
        _ name: StaticString, _ elements: [Element], _ body: (inout ObjectWriter, Element) -> Void
    ) {
        guard !elements.isEmpty else { return }
        key(name)
        open("[")
        for element in elements {
            if isFirst[isFirst.count - 1] { isFirst[isFirst.count - 1] = false } else { output.append(",") }
            open("{")
            body(&self, element)
            close("}")
        }
        close("]")
    }

    // MARK: Messages

    mutating func write(_ message: OTLPResourceSpans) {
        fields(of: message)
    }

    mutating func fields(of message: OTLPResourceSpans) {
        if message.hasResource {
            object("resource") { writer in
                writer.list("attributes", message.resource.attributes) { $0.write($1) }
                writer.uint32("droppedAttributesCount", message.resource.droppedAttributesCount)
            }
        }
        list("scopeSpans", message.scopeSpans) { $0.write($1) }
        string("schemaUrl", message.schemaURL)
    }

    mutating func write(_ message: OTLPScopeSpans) {
        if message.hasScope {
            object("scope") { writer in
                writer.string("name", message.scope.name)
                writer.string("version", message.scope.version)
                writer.list("attributes", message.scope.attributes) { $0.write($1) }
                writer.uint32("droppedAttributesCount", message.scope.droppedAttributesCount)
            }
        }
        list("spans", message.spans) { $0.write($1) }
        string("schemaUrl", message.schemaURL)
    }

    mutating func write(_ span: OTLPSpan) {
        hex("traceId", span.traceID)
        hex("spanId", span.spanID)
        string("traceState", span.traceState)
        hex("parentSpanId", span.parentSpanID)
        uint32("flags", span.flags)
        string("name", span.name)
        enumeration("kind", span.kind.rawValue)
        uint64("startTimeUnixNano", span.startTimeUnixNano)
        uint64("endTimeUnixNano", span.endTimeUnixNano)
        list("attributes", span.attributes) { $0.write($1) }
        uint32("droppedAttributesCount", span.droppedAttributesCount)
        list("events", span.events) { writer, event in
            writer.uint64("timeUnixNano", event.timeUnixNano)
            writer.string("name", event.name)
            writer.list("attributes", event.attributes) { $0.write($1) }
            writer.uint32("droppedAttributesCount", event.droppedAttributesCount)
        }
        uint32("droppedEventsCount", span.droppedEventsCount)
        list("links", span.links) { writer, link in
            writer.hex("traceId", link.traceID)
            writer.hex("spanId", link.spanID)
            writer.string("traceState", link.traceState)
            writer.list("attributes", link.attributes) { $0.write($1) }
            writer.uint32("droppedAttributesCount", link.droppedAttributesCount)
            writer.uint32("flags", link.flags)
        }
        uint32("droppedLinksCount", span.droppedLinksCount)
        if span.hasStatus {
            object("status") { writer in
                writer.string("message", span.status.message)
                writer.enumeration("code", span.status.code.rawValue)
            }
        }
    }

    mutating func write(_ attribute: OTLPKeyValue) {
        string("key", attribute.key)
        if attribute.hasValue { object("value") { $0.write(attribute.value) } }
    }

    mutating func write(_ value: OTLPAnyValue) {
        switch value.value {
        case nil: break
        case .stringValue(let text):
            key("stringValue")
            output.appendString(text)
        case .boolValue(let flag): rawMember("boolValue", flag ? "true" : "false")
        case .intValue(let number):
            key("intValue")
            output.appendString(String(number))
        case .doubleValue(let number):
            key("doubleValue")
            if number.isNaN {
                output.appendString("NaN")
            } else if number.isInfinite {
                output.appendString(number > 0 ? "Infinity" : "-Infinity")
            } else {
                output.appendRaw(number.description)
            }
        case .bytesValue(let data):
            key("bytesValue")
            output.appendString(data.base64EncodedString())
        case .arrayValue(let array):
            object("arrayValue") { writer in writer.list("values", array.values) { $0.write($1) } }
        case .kvlistValue(let list):
            object("kvlistValue") { writer in writer.list("values", list.values) { $0.write($1) } }
        }
    }
}
