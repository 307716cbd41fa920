/// Where a string's content lies in the text, and whether decoding it needs the slow path.
struct JSONStringToken: Hashable {
    /// The content between the quotes, escapes still encoded.
    var content: Range<Int>
    /// Whether the content holds a backslash escape (if not, the bytes are the value).
    var hasEscapes: Bool

    /// The whole token, quotes included.
    var token: Range<Int> { (content.lowerBound - 1)..<(content.upperBound + 1) }
}

extension JSONScanner {
    /// Consumes the string whose opening quote is at the cursor, validating escapes and UTF-8.
    ///
    /// - Complexity: one pass over the string's bytes. The common case — printable ASCII up to the closing
    ///   quote — is inlined into the caller and checks eight bytes at a time; escapes, non-ASCII bytes and
    ///   the end of the text take the out-of-line path.
    @inline(__always)
    mutating func scanString() throws(JSONError) -> JSONStringToken {
        let open = position
        let index = skipPlainASCII(from: open + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            position = index + 1
            return JSONStringToken(content: (open + 1)..<index, hasEscapes: false)
        }
        return try scanStringRemainder(open: open, from: index)
    }

    /// The offset of the first byte at or after `start` that is not printable ASCII other than `"` and `\`
    /// (or `bytes.count`): eight bytes at a time, then byte by byte near the end of the text.
    @inline(__always)
    private func skipPlainASCII(from start: Int) -> Int {
        var index = start
        let end = bytes.count
        while index + 8 <= end {
            let special = Self.specialBytes(in: bytes.word(at: index))
            if special != 0 { return index + special.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte &- 0x20 >= 0x60 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            index += 1
        }
        return index
    }

    /// Finishes a string whose plain-ASCII start ends at `index`: escapes, UTF-8 sequences, errors.
    private mutating func scanStringRemainder(open: Int, from start: Int) throws(JSONError) -> JSONStringToken {
        let end = bytes.count
        var index = start
        var hasEscapes = false
        while true {
            guard index < end else { throw error(.unterminatedString, at: open) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONStringToken(content: (open + 1)..<index, hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index = try scanEscape(at: index, stringStart: open)
            } else if byte < 0x20 {
                throw error(.controlCharacterInString(byte), at: index)
            } else {
                index = try scanUTF8Sequence(at: index)
            }
            index = skipPlainASCII(from: index)
        }
    }

    /// A mask with the high bit set in (at least) the first byte of `word` (read little-endian) that a string
    /// scan must stop at: `"`, `\`, a control character or a non-ASCII byte. Bytes after the first such byte
    /// may be flagged falsely (borrows propagate upwards), so only the lowest flag is meaningful.
    @inline(__always)
    private static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let value = UInt64(littleEndian: word)
        let quotes = value ^ (ones &* 0x22)
        let backslashes = value ^ (ones &* 0x5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let belowSpace = (value &- ones &* 0x20) & ~value
        return (zeroQuote | zeroBackslash | belowSpace | value) & highBits
    }

    /// Validates the escape whose backslash is at `index`; returns the offset just past it.
    private func scanEscape(at index: Int, stringStart: Int) throws(JSONError) -> Int {
        guard index + 1 < bytes.count else { throw error(.unterminatedString, at: stringStart) }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            guard let unit = Self.hexQuad(in: bytes, at: index + 2) else {
                throw error(.invalidUnicodeEscape, at: index)
            }
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 7 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
                    bytes[index + 7] == UInt8(ascii: "u"), let low = Self.hexQuad(in: bytes, at: index + 8),
                    (0xDC00...0xDFFF).contains(low)
                else { throw error(.loneSurrogate(unit), at: index) }
                return index + 12
            case 0xDC00...0xDFFF:
                throw error(.loneSurrogate(unit), at: index)
            default:
                return index + 6
            }
        default:
            throw error(.invalidEscape(found: bytes[index + 1]), at: index)
        }
    }

    /// Validates the multi-byte UTF-8 sequence whose lead byte is at `index` (Unicode Table 3-7: no overlong
    /// forms, no surrogates, nothing above U+10FFFF); returns the offset just past it.
    private func scanUTF8Sequence(at index: Int) throws(JSONError) -> Int {
        let lead = bytes[index]
        var length = 3
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: break
        case 0xED: secondHigh = 0x9F
        case 0xF0: (length, secondLow) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, secondHigh) = (4, 0x8F)
        default: throw error(.invalidUTF8(lead), at: index)
        }
        guard index + length <= bytes.count else { throw error(.invalidUTF8(lead), at: index) }
        let second = bytes[index + 1]
        guard second >= secondLow && second <= secondHigh else { throw error(.invalidUTF8(second), at: index + 1) }
        for offset in 2..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { throw error(.invalidUTF8(next), at: index + offset) }
        }
        return index + length
    }

    /// The value of the four hex digits at `offset`, or nil if there are not four.
    static func hexQuad(in bytes: JSONText, at offset: Int) -> UInt16? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for index in offset..<(offset + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
