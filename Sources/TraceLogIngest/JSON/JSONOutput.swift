/// Appends JSON text to a byte buffer: escaped strings, numbers, and raw values verbatim.
///
/// Used by ``NativeEventWriter``; the hot path is an append loop over the string's UTF-8 with no per-field
/// `String` building.
package struct JSONOutput {
    /// The text written so far.
    package var bytes: [UInt8]

    /// Wraps a buffer to append to.
    package init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    /// Appends ASCII text as it is (keys, punctuation).
    package mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `"key":`.
    package mutating func appendKey(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        append(key)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// Appends `value` as a JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX`
    /// escapes, everything else (including non-ASCII) as its UTF-8 bytes.
    package mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { appendString(validUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// ``appendString(_:)`` for bytes known to be valid UTF-8 (a `String`'s, or stored bytes that passed
    /// ``UTF8Check``): runs without anything to escape are copied whole.
    mutating func appendString(validUTF8 utf8: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscape(for: byte)
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hexDigits.utf8Start[Int(byte >> 4)])
            bytes.append(hexDigits.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Appends a JSON value's text as it is, except that line breaks become spaces.
    ///
    /// In valid JSON, a line feed or carriage return can only be whitespace between tokens (strings must
    /// escape them), so replacing them keeps the value's meaning while keeping the output on one line.
    package mutating func appendRaw(_ json: String) {
        var json = json
        json.withUTF8 { appendRaw(validUTF8: UnsafeRawBufferPointer($0)) }
    }

    /// ``appendRaw(_:)`` for bytes known to be valid UTF-8.
    mutating func appendRaw(validUTF8 utf8: UnsafeRawBufferPointer) {
        let start = bytes.count
        bytes.append(contentsOf: utf8)
        if utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            for index in start..<bytes.count where bytes[index] == 0x0A || bytes[index] == 0x0D {
                bytes[index] = 0x20
            }
        }
    }

    /// Appends an unsigned integer in decimal.
    package mutating func appendInteger(_ value: UInt64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a finite double: integral values below 2^53 without a fraction (`1500`), others in Swift's
    /// shortest round-tripping form (`0.25`, `1e-07`), which is valid JSON.
    package mutating func appendNumber(_ value: Double) {
        precondition(value.isFinite, "JSON has no spelling for \(value)")
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
