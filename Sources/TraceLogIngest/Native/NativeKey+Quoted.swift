/// Recognizing a top-level key at its first byte: each key followed by its closing quote is a pattern of at most
/// 17 bytes, compared as two masked 64-bit words. A line's keys are then matched with two loads and a compare or
/// two each, instead of scanning each key for its end (validating every byte) and matching the bytes found.
///
/// A pattern is plain ASCII ending in `"`, so bytes that match it are exactly a string without escapes that
/// spells the key: the scanner would have produced the same token. Anything else (an unknown or escaped key,
/// or fewer than 16 bytes left in the line) takes the general path.
extension NativeKey {
    /// The key spelled at `start`, the byte after a key's opening quote, with its closing quote; and how many
    /// bytes that is (the name plus the quote). Nil when no key matches or fewer than 16 bytes remain (the
    /// longest pattern, `trigger_instance"`, is 17 bytes: its last byte is checked separately).
    @inline(__always)
    static func matchQuoted(in text: JSONText, at start: Int) -> (key: NativeKey, length: Int)? {
        guard start + 16 <= text.count else { return nil }
        let low = UInt64(littleEndian: text.word(at: start))
        let high = UInt64(littleEndian: text.word(at: start + 8))
        var candidates = QuotedKeyPatterns.shared.candidates[Int(truncatingIfNeeded: low & 0xFF)]
        while candidates != 0 {
            let raw = candidates.trailingZeroBitCount
            let pattern = QuotedKeyPatterns.shared.patterns[raw]
            if low & pattern.lowMask == pattern.low, high & pattern.highMask == pattern.high,
                pattern.length <= 16 || (start + 16 < text.count && text[start + 16] == UInt8(ascii: "\""))
            {
                return (pattern.key, pattern.length)
            }
            candidates &= candidates - 1
        }
        return nil
    }
}

/// The quoted-key patterns of every ``NativeKey``, indexed by raw value, and the keys each first byte can start.
struct QuotedKeyPatterns: Sendable {
    /// One key and its closing quote as masked little-endian words: byte `i` of the pattern is byte `i % 8` of
    /// `low` (i < 8) or `high` (8 ≤ i < 16); a 17th byte (only `trigger_instance"`) is the quote, checked apart.
    struct Pattern: Sendable {
        var key = NativeKey.type
        var low: UInt64 = 0
        var lowMask: UInt64 = 0
        var high: UInt64 = 0
        var highMask: UInt64 = 0
        /// The name's length plus one for the quote.
        var length = 0
    }

    /// The patterns, indexed by ``NativeKey/rawValue``.
    let patterns: [Pattern]
    /// For each first byte, the keys (bit `rawValue` set) whose name starts with it.
    let candidates: [UInt64]

    static let shared = QuotedKeyPatterns()

    private init() {
        var patterns = [Pattern](repeating: Pattern(), count: NativeKey.allCases.count)
        var candidates = [UInt64](repeating: 0, count: 256)
        for key in NativeKey.allCases {
            let name = key.name
            var bytes = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: "\""))
            precondition(bytes.count <= 17 && (bytes.count <= 16 || bytes[16] == UInt8(ascii: "\"")))
            var pattern = Pattern(key: key, length: bytes.count)
            for (index, byte) in bytes.prefix(16).enumerated() {
                let shift = UInt64(index % 8 * 8)
                if index < 8 {
                    pattern.low |= UInt64(byte) << shift
                    pattern.lowMask |= 0xFF << shift
                } else {
                    pattern.high |= UInt64(byte) << shift
                    pattern.highMask |= 0xFF << shift
                }
            }
            patterns[Int(key.rawValue)] = pattern
            candidates[Int(bytes[0])] |= 1 << UInt64(key.rawValue)
        }
        self.patterns = patterns
        self.candidates = candidates
    }
}
