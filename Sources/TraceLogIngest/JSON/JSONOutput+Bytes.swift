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
        appendString(validUTF8: bytes)
    }

    /// Appends a stored JSON value, as ``appendRaw(_:)`` would append `String(decoding: bytes)`.
    mutating func appendRaw(utf8 bytes: UnsafeRawBufferPointer) {
        guard UTF8Check.isValid(bytes) else {
            appendRaw(String(decoding: bytes, as: UTF8.self))
            return
        }
        appendRaw(validUTF8: bytes)
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
