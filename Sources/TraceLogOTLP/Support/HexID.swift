package import Foundation
package import TraceLogStorage

/// Hex spellings of OTLP's byte ids (trace ids, span ids): OTLP/JSON writes them as hex, not base64.
package enum HexID {
    /// Lowercase hex of `bytes`.
    package static func encode(_ bytes: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of an even-length hex string, either case; nil for anything else.
    package static func decode(_ text: String) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The 16 bytes of a trace id (big-endian: the first hex digit is the first byte's high nibble).
    package static func bytes(of traceID: TraceID) -> Data {
        var data = Data(capacity: 16)
        for shift in stride(from: 56, through: 0, by: -8) {
            data.append(UInt8(truncatingIfNeeded: traceID.high >> shift))
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            data.append(UInt8(truncatingIfNeeded: traceID.low >> shift))
        }
        return data
    }

    /// The trace id of 16 bytes; nil for another length or the all-zero id (invalid in OTLP and W3C).
    package static func traceID(_ bytes: Data) -> TraceID? {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        guard high != 0 || low != 0 else { return nil }
        return TraceID(high: high, low: low)
    }

    /// Whether `bytes` is a valid span id: 8 bytes, not all zero.
    package static func isSpanID(_ bytes: Data) -> Bool {
        bytes.count == 8 && bytes.contains { $0 != 0 }
    }

    /// Whether `text` is 16 lowercase hex digits, not all zero: an execution id that is a span id as it is.
    package static func isSpanIDText(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 16 else { return false }
        var nonZero = false
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0"): continue
            case UInt8(ascii: "1")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): nonZero = true
            default: return false
            }
        }
        return nonZero
    }
}
