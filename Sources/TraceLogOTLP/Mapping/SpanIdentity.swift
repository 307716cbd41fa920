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
    static func id(of entity: EntityRef) -> UInt64 {
        if entity.type == .execution { return id(ofExecution: entity.id, attempt: 1) }
        return hash(entity.type.name, entity.id)
    }

    /// The span id of an execution's attempt.
    static func id(ofExecution id: String, attempt: UInt32) -> UInt64 {
        if attempt <= 1 {
            if let value = spanIDValue(id) { return value }
            return hash("execution", id)
        }
        return hash("execution", id, String(attempt))
    }

    /// The span id of an entity as 8 bytes.
    static func spanID(of entity: EntityRef) -> Data { bytes(id(of: entity)) }

    /// The span id of an execution's attempt as 8 bytes.
    static func spanID(ofExecution id: String, attempt: UInt32) -> Data {
        bytes(self.id(ofExecution: id, attempt: attempt))
    }

    /// A span id's 8 bytes, big-endian.
    static func bytes(_ id: UInt64) -> Data {
        withUnsafeBytes(of: id.bigEndian) { Data($0) }
    }

    /// FNV-1a over the parts joined by NUL bytes; never zero.
    static func hash(_ parts: String...) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 {
                value ^= 0
                value &*= 0x0000_0100_0000_01b3
            }
            for byte in part.utf8 {
                value ^= UInt64(byte)
                value &*= 0x0000_0100_0000_01b3
            }
        }
        return value == 0 ? 1 : value
    }

    /// The value of 16 lowercase hex digits, not all zero; nil for anything else.
    private static func spanIDValue(_ text: String) -> UInt64? {
        let utf8 = text.utf8
        guard utf8.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value == 0 ? nil : value
    }
}
