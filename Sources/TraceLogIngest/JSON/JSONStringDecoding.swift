extension JSONScanner {
    /// The value of a string the scanner has validated: a plain copy when it has no escapes.
    ///
    /// - Complexity: one pass; allocates only when the value is longer than 15 UTF-8 bytes (Swift's small
    ///   strings hold up to 15 inline).
    func string(_ token: JSONStringToken) -> String {
        let content = slice(token.content)
        return token.hasEscapes ? Self.decodeEscapes(content) : String(copyingValidUTF8: content)
    }

    /// Decodes a validated string body that holds escapes. The value is never longer than the escaped text.
    private static func decodeEscapes(_ buffer: UnsafeRawBufferPointer) -> String {
        let content = JSONText(buffer)
        return String(unsafeUninitializedCapacity: content.count) { output in
            var read = 0
            var written = 0
            while read < content.count {
                let byte = content[read]
                guard byte == UInt8(ascii: "\\") else {
                    output[written] = byte
                    written += 1
                    read += 1
                    continue
                }
                let escape = content[read + 1]
                read += 2
                let simple: UInt8
                switch escape {
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"):
                    var scalar = UInt32(hexQuad(in: content, at: read) ?? 0xFFFD)
                    read += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        let low = UInt32(hexQuad(in: content, at: read + 2) ?? 0xDC00)
                        read += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    written += encodeUTF8(scalar, into: output, at: written)
                    continue
                default: simple = escape  // `"`, `\` and `/` stand for themselves.
                }
                output[written] = simple
                written += 1
            }
            return written
        }
    }

    /// Writes `scalar` as UTF-8 at `offset`; returns the number of bytes written (1 to 4).
    private static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutableBufferPointer<UInt8>, at offset: Int)
        -> Int
    {
        switch scalar {
        case ..<0x80:
            output[offset] = UInt8(scalar)
            return 1
        case ..<0x800:
            output[offset] = UInt8(0xC0 | scalar >> 6)
            output[offset + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            output[offset] = UInt8(0xE0 | scalar >> 12)
            output[offset + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[offset] = UInt8(0xF0 | scalar >> 18)
            output[offset + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}

extension String {
    /// Copies bytes that are known to be valid UTF-8 (the scanner checked them) into a string.
    init(copyingValidUTF8 bytes: UnsafeRawBufferPointer) {
        self.init(unsafeUninitializedCapacity: bytes.count) { output in
            UnsafeMutableRawBufferPointer(output).copyMemory(from: bytes)
            return bytes.count
        }
    }
}
