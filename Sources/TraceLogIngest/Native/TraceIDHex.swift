import TraceLogStorage

/// Trace ids from their 32 lowercase hex characters, read straight from the line's bytes.
enum TraceIDHex {
    /// What a valid id looks like, for error messages.
    static let expectation = "expected a trace id of 32 lowercase hex characters, not all zero"

    /// The id spelled by `bytes`, or nil unless they are exactly 32 lowercase hex digits, not all zero
    /// (the same rule as `TraceID(hex:)`, without its copy into an array).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> TraceID? {
        guard bytes.count == 32, let high = half(bytes, from: 0), let low = half(bytes, from: 16),
            high != 0 || low != 0
        else { return nil }
        return TraceID(high: high, low: low)
    }

    private static func half(_ bytes: UnsafeRawBufferPointer, from start: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in start..<(start + 16) {
            let byte = bytes[index]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
