import Foundation
import TraceLogOTLP
import Tracing
import W3CTraceContext

/// Swift Distributed Tracing values as OTLP messages.
enum SpanConversion {
    static func kind(_ kind: SpanKind) -> OTLPSpan.SpanKind {
        switch kind {
        case .server: .server
        case .client: .client
        case .producer: .producer
        case .consumer: .consumer
        case .internal: .internal
        }
    }

    static func attributes(_ attributes: SpanAttributes) -> [OTLPKeyValue] {
        var result: [OTLPKeyValue] = []
        attributes.forEach { key, value in
            var attribute = OTLPKeyValue()
            attribute.key = key
            attribute.value = anyValue(value)
            result.append(attribute)
        }
        // SpanAttributes is a dictionary: sort for a stable order.
        return result.sorted { $0.key < $1.key }
    }

    static func anyValue(_ attribute: SpanAttribute) -> OTLPAnyValue {
        var value = OTLPAnyValue()
        switch attribute {
        case .int32(let number): value.value = .intValue(Int64(number))
        case .int64(let number): value.value = .intValue(number)
        case .double(let number): value.value = .doubleValue(number)
        case .bool(let flag): value.value = .boolValue(flag)
        case .string(let text): value.value = .stringValue(text)
        case .int32Array(let numbers): value.value = .arrayValue(array(numbers.map { .intValue(Int64($0)) }))
        case .int64Array(let numbers): value.value = .arrayValue(array(numbers.map { .intValue($0) }))
        case .doubleArray(let numbers): value.value = .arrayValue(array(numbers.map { .doubleValue($0) }))
        case .boolArray(let flags): value.value = .arrayValue(array(flags.map { .boolValue($0) }))
        case .stringArray(let texts): value.value = .arrayValue(array(texts.map { .stringValue($0) }))
        case .stringConvertible(let item): value.value = .stringValue(item.description)
        case .stringConvertibleArray(let items):
            value.value = .arrayValue(array(items.map { .stringValue($0.description) }))
        default: value.value = .stringValue("\(attribute)")
        }
        return value
    }

    private static func array(_ values: [OTLPAnyValue.OneOf_Value]) -> OTLPArrayValue {
        var array = OTLPArrayValue()
        array.values = values.map { item in
            var value = OTLPAnyValue()
            value.value = item
            return value
        }
        return array
    }

    static func bytes(_ traceID: W3CTraceContext.TraceID) -> Data {
        withUnsafeBytes(of: traceID.bytes) { Data($0) }
    }

    static func bytes(_ spanID: W3CTraceContext.SpanID) -> Data {
        withUnsafeBytes(of: spanID.bytes) { Data($0) }
    }
}
