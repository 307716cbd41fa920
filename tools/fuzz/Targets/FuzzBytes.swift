/// Reads values from a fuzzer's bytes, front to back, so that the same bytes always build the same values.
///
/// Reading past the end gives zeros (and empty strings), so every input builds something and short inputs
/// build small things. Non-owning: valid only while the bytes it reads are alive.
struct FuzzBytes {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A little-endian integer from the next `T.size` bytes.
    mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: byte()) << (8 * index) }
        return value
    }

    /// A string of up to `maximumLength` bytes (a length byte, then the bytes), decoded as UTF-8 with repair.
    mutating func string(maximumLength: Int = 48) -> String {
        let length = min(Int(byte()) % (maximumLength + 1), max(bytes.count - position, 0))
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
    }

    /// Nil or a string, as the next byte says.
    mutating func optionalString() -> String? {
        bool() ? string() : nil
    }

    /// One of `choices`, or nil when the next byte picks past them.
    mutating func optional<T>(_ choices: [T]) -> T? {
        let pick = Int(byte()) % (choices.count + 1)
        return pick < choices.count ? choices[pick] : nil
    }

    /// One of `choices` (which must not be empty).
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }
}
