/// A reusable byte buffer that one JSON line is appended to, field by field.
///
/// The hot path builds every line with byte appends into this buffer (no `String` formatting,
/// no Foundation), so a steady-state line costs no allocation once the buffer has grown.
/// Strings passed to `appendQuoted` come from the generator's own vocabulary, which holds only
/// characters that need no JSON escaping (checked by the tests that parse every line).
struct LineBuffer {
    /// The bytes appended so far.
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends `"text"`.
    @inline(__always)
    mutating func appendQuoted(_ text: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        append(text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends the low `digits` nibbles of `value` as lowercase hex, most significant first.
    @inline(__always)
    mutating func appendHex(_ value: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            bytes.append(Self.hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    /// Appends a non-negative integer in decimal.
    mutating func appendDecimal(_ value: Int) {
        precondition(value >= 0, "only non-negative numbers are written")
        if value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var divisor = 10
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest / divisor) &+ 48)
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` with exactly `width` digits, zero-padded (`value` must fit).
    @inline(__always)
    mutating func appendPadded(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest / divisor) &+ 48)
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `thousandths / 1000` as a JSON number: `1532`, `1532.4`, `0.25` (trailing zeros dropped).
    mutating func appendMilliseconds(thousandths: Int) {
        appendDecimal(thousandths / 1000)
        var fraction = thousandths % 1000
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var width = 3
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        appendPadded(fraction, width: width)
    }
}
