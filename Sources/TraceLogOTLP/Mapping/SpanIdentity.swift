import Foundation
import TraceLogStorage

/// Span ids of TraceLog's entities, the same in `export --format otlp` and `forward`, so that a child's parent span
/// id is its cause's span id.
///
/// An execution id of 16 lowercase hex digits (not all zero) is a span id as it is — every attempt that came from
/// OTLP has one. Any other entity's span id is the 64-bit FNV-1a hash of `<type>\0<id>` (attempts after the first:
/// `<type>\0<id>\0<attempt>`), big-endian; a zero hash becomes 1. Distinct entities share a span id with odds of
/// about n²/2⁶⁵ over n entities of one trace.
enum SpanIdentity {
    /// The span id of an entity (an execution's first attempt).
    static func spanID(of entity: EntityRef) -> Data {
        if entity.type == .execution { return spanID(ofExecution: entity.id, attempt: 1) }
        return hash("\(entity.type.name)\u{0}\(entity.id)")
    }

    /// The span id of an execution's attempt.
    static func spanID(ofExecution id: String, attempt: UInt32) -> Data {
        if attempt <= 1 {
            if HexID.isSpanIDText(id), let bytes = HexID.decode(id) { return bytes }
            return hash("execution\u{0}\(id)")
        }
        return hash("execution\u{0}\(id)\u{0}\(attempt)")
    }

    /// The span id of a text key (flow events without a span of their own to attach to).
    static func hash(_ key: String) -> Data {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        if value == 0 { value = 1 }
        var bytes = Data(count: 8)
        for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64(index))) }
        return bytes
    }
}
