/// Appending JSON from stored UTF-8 bytes (a ``RecordView``'s fields) rather than `String`s: the same output as
/// the `String` methods, byte for byte, without building the strings.
///
/// A stored field is normally valid UTF-8, whose `String` has exactly its bytes. Bytes that are not valid
/// UTF-8 (possible only in a damaged or hand-made record) become a `String` first, which repairs them the way
/// decoding a ``Record`` does, so both paths still print the same text.
extension JSONOutput {
    /// Appends `bytes` as a JSON string, as ``appendString(_:)`` would append `String(decoding: bytes)`.
    mutating func appendString(utf8 bytes: UnsafeRawBufferPointer) {
        guard UTF8Check.isValid(bytes) else {
            appendString(String(decoding: bytes, as: UTF8.self))
            return
        }
        self.bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            self.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            appendEscapeForBytes(byte)
            runStart = index + 1
        }
        self.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a stored JSON value, as ``appendRaw(_:)`` would append `String(decoding: bytes)`.
    mutating func appendRaw(utf8 bytes: UnsafeRawBufferPointer) {
        guard UTF8Check.isValid(bytes) else {
            appendRaw(String(decoding: bytes, as: UTF8.self))
            return
        }
        let start = self.bytes.count
        self.bytes.append(contentsOf: bytes)
        if bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            for index in start..<self.bytes.count where self.bytes[index] == 0x0A || self.bytes[index] == 0x0D {
                self.bytes[index] = 0x20
            }
        }
    }

    /// The escape ``appendString(_:)`` writes for a byte that needs one.
    private mutating func appendEscapeForBytes(_ byte: UInt8) {
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
}

/// Whether bytes are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no surrogates, nothing past
/// U+10FFFF), eight ASCII bytes at a time.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if index + 8 <= count,
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index + offset < count && range.contains(bytes[index + offset])
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0...0xBF), continuation(2) else { return false }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                index += 3
            case 0xED:
                guard continuation(1, 0x80...0x9F), continuation(2) else { return false }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90...0xBF), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80...0x8F), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
