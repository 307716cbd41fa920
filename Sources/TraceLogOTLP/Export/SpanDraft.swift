import Foundation
import TraceLogStorage

/// A span of TraceLog's own records (not one that came from OTLP), in plain Swift values: what ``RecordSpans`` makes,
/// turned into a protobuf message for OTLP/JSON (``message``) or written straight to protobuf bytes for `forward`
/// (``WireWriter``), which costs a fraction of building the message first.
struct SpanDraft {
    var traceID: TraceID
    var spanID: UInt64
    /// 0: no parent.
    var parentSpanID: UInt64 = 0
    var name: String
    var start: UInt64
    var end: UInt64
    var attributes: [DraftAttribute] = []
    var events: [DraftEvent] = []
    var links: [DraftLink] = []
    /// OTLP status code: 0 unset, 2 error.
    var statusCode = 0
    var statusMessage = ""
    /// Every draft span is INTERNAL.
    static let kind = OTLPSpan.SpanKind.internal

    /// The span as a protobuf message.
    var message: OTLPSpan {
        var span = OTLPSpan()
        span.traceID = HexID.bytes(of: traceID)
        span.spanID = SpanIdentity.bytes(spanID)
        if parentSpanID != 0 { span.parentSpanID = SpanIdentity.bytes(parentSpanID) }
        span.name = name
        span.kind = Self.kind
        span.startTimeUnixNano = start
        span.endTimeUnixNano = end
        span.attributes = attributes.map(\.message)
        span.events = events.map(\.message)
        span.links = links.map { link in
            var converted = OTLPSpan.Link()
            converted.traceID = HexID.bytes(of: link.traceID)
            converted.spanID = SpanIdentity.bytes(link.spanID)
            converted.attributes = link.attributes.map(\.message)
            return converted
        }
        span.status = OTLPStatus()
        span.status.code = OTLPStatus.StatusCode(rawValue: statusCode) ?? .unset
        span.status.message = statusMessage
        return span
    }
}

/// An attribute value of a draft span.
enum DraftValue {
    case string(String)
    case int(Int64)
    case double(Double)
}

/// An attribute of a draft span, event or link.
struct DraftAttribute {
    var key: String
    var value: DraftValue

    var message: OTLPKeyValue {
        var attribute = OTLPKeyValue()
        attribute.key = key
        switch value {
        case .string(let text): attribute.value.value = .stringValue(text)
        case .int(let number): attribute.value.value = .intValue(number)
        case .double(let number): attribute.value.value = .doubleValue(number)
        }
        return attribute
    }
}

/// An event of a draft span.
struct DraftEvent {
    var time: UInt64
    var name: String
    var attributes: [DraftAttribute]

    var message: OTLPSpan.Event {
        var event = OTLPSpan.Event()
        event.timeUnixNano = time
        event.name = name
        event.attributes = attributes.map(\.message)
        return event
    }
}

/// A link of a draft span.
struct DraftLink {
    var traceID: TraceID
    var spanID: UInt64
    var attributes: [DraftAttribute]
}

/// Builds a list of attributes, leaving out absent values.
struct AttributeList {
    private(set) var values: [DraftAttribute] = []

    init(capacity: Int = 12) {
        values.reserveCapacity(capacity)
    }

    mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        values.append(DraftAttribute(key: key, value: .string(value)))
    }

    mutating func int(_ key: String, _ value: Int64) { values.append(DraftAttribute(key: key, value: .int(value))) }

    mutating func double(_ key: String, _ value: Double) {
        values.append(DraftAttribute(key: key, value: .double(value)))
    }
}
