/// The unique id of a trace: 128 bits, printed as 32 lowercase hex characters (W3C trace-context compatible).
///
/// TraceLog generates trace ids; callers only pass them back to join or query a trace.
/// The all-zero id is invalid, as in W3C trace-context.
public struct TraceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 64 bits (the first 16 hex characters).
    public var high: UInt64
    /// The last 64 bits (the last 16 hex characters).
    public var low: UInt64

    /// Creates an id from its two halves; the caller guarantees it is not all zero.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses exactly 32 lowercase hex characters; returns nil for anything else or for the all-zero id.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in utf8.enumerated() {
            let nibble: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        }
        guard high != 0 || low != 0 else { return nil }
        self.init(high: high, low: low)
    }

    /// A new random id from the system's secure generator (never all zero; see ``SecureRandomPool``).
    public static func random() -> TraceID {
        while true {
            let (high, low) = SecureRandomPool.nextPair()
            let id = TraceID(high: high, low: low)
            if id.high != 0 || id.low != 0 { return id }
        }
    }

    /// The 32 lowercase hex characters.
    public var description: String {
        var bytes = [UInt8](repeating: 0, count: 32)
        Self.writeHex(high, into: &bytes, at: 0)
        Self.writeHex(low, into: &bytes, at: 16)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static func writeHex(_ value: UInt64, into bytes: inout [UInt8], at start: Int) {
        let digits: StaticString = "0123456789abcdef"
        for index in 0..<16 {
            let nibble = Int((value >> UInt64(60 - 4 * index)) & 0xF)
            bytes[start + index] = digits.utf8Start[nibble]
        }
    }
}
