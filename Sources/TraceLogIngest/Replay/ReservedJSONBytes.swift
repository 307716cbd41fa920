import TraceLogStorage

/// Writes one JSON line into bytes reserved for it ahead of time: the writer behind ``NativeEventWriter``'s
/// view path (`tracelog replay`), where appending each key, quote and field to an `[UInt8]` one call at a time
/// (a capacity and uniqueness check each) cost more than the text itself.
///
/// One of the few unsafe places: it writes through a raw pointer. Every write checks that it stays inside the
/// reserved capacity (one comparison, which traps rather than writes outside), and the scans below may store up
/// to 8 bytes past their text, which each check covers too. Strings and raw JSON values are copied and checked 8
/// bytes at a time: a run of plain ASCII (no quote, backslash or control byte, no line break in raw JSON) is
/// copied as one word, and UTF-8 validity is checked only for a field that has a byte ≥ 0x80.
struct ReservedJSONBytes {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    /// A writer into `buffer`'s `capacity` bytes.
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = UnsafeMutableRawPointer(buffer.baseAddress!)
        capacity = buffer.count
    }

    /// Traps unless `bytes` more fit: what keeps every write inside the reservation.
    @inline(__always) private func ensure(_ bytes: Int) {
        precondition(count &+ bytes <= capacity, "ReservedJSONBytes: the line outgrew its reservation")
    }

    /// Appends one byte.
    @inline(__always) mutating func put(_ byte: UInt8) {
        ensure(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// Appends ASCII text as it is (keys, punctuation).
    @inline(__always) mutating func put(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        ensure(length)
        (base + count).copyMemory(from: text.utf8Start, byteCount: length)
        count &+= length
    }

    /// Appends bytes as they are.
    mutating func put(bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress else { return }
        ensure(bytes.count)
        (base + count).copyMemory(from: start, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Appends `"key":`.
    @inline(__always) mutating func putKey(_ key: StaticString) {
        put(UInt8(ascii: "\""))
        put(key)
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
    }

    // MARK: Strings and raw JSON

    /// Appends stored bytes as a JSON string, exactly as ``JSONOutput/appendString(utf8:)`` does: bytes that
    /// are not valid UTF-8 are repaired as `String(decoding:)` repairs them.
    mutating func putString(utf8 value: UnsafeRawBufferPointer) {
        let mark = count
        if putEscaped(value, validated: false) { return }
        count = mark
        var repaired = String(decoding: value, as: UTF8.self)
        repaired.withUTF8 { _ = putEscaped(UnsafeRawBufferPointer($0), validated: true) }
    }

    /// Appends a stored JSON value as it is except that line breaks become spaces, exactly as
    /// ``JSONOutput/appendRaw(utf8:)`` does.
    mutating func putRaw(utf8 value: UnsafeRawBufferPointer) {
        let mark = count
        if putRaw(value, validated: false) { return }
        count = mark
        var repaired = String(decoding: value, as: UTF8.self)
        repaired.withUTF8 { _ = putRaw(UnsafeRawBufferPointer($0), validated: true) }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` that is zero; bytes above a flagged one may be flagged falsely, never
    /// one below it, so the lowest flag is exact (and callers recheck flagged bytes one at a time anyway).
    @inline(__always) private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// Writes `"value"` with escapes; false (having written part of it) when `value` turns out not to be valid
    /// UTF-8 and was not `validated`.
    private mutating func putEscaped(_ value: UnsafeRawBufferPointer, validated: Bool) -> Bool {
        // Each byte becomes at most 6 (`\u00XX`), plus the quotes and an 8-byte store past the end.
        ensure(value.count &* 6 &+ 10)
        base.storeBytes(of: UInt8(ascii: "\""), toByteOffset: count, as: UInt8.self)
        count &+= 1
        var checked = validated
        var index = 0
        let length = value.count
        guard let source = value.baseAddress else {
            base.storeBytes(of: UInt8(ascii: "\""), toByteOffset: count, as: UInt8.self)
            count &+= 1
            return true
        }
        while index < length {
            copyCleanWords(from: source, at: &index, length: length) { word in
                ((word &- Self.ones &* 0x20) & ~word & Self.highBits)  // < 0x20
                    | Self.zeroBytes(word ^ (Self.ones &* 0x22)) | Self.zeroBytes(word ^ (Self.ones &* 0x5C))
                    | (word & Self.highBits)
            }
            guard index < length else { break }
            let byte = source.load(fromByteOffset: index, as: UInt8.self)
            index &+= 1
            if byte >= 0x80 {
                if !checked {
                    guard UTF8Check.isValid(value) else { return false }
                    checked = true
                }
                base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
                count &+= 1
            } else if byte < 0x20 || byte == 0x22 || byte == 0x5C {
                putEscape(for: byte)
            } else {
                base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
                count &+= 1
            }
        }
        base.storeBytes(of: UInt8(ascii: "\""), toByteOffset: count, as: UInt8.self)
        count &+= 1
        return true
    }

    /// Copies `source` from `index` 8 bytes at a time while `flags` marks no byte of a word (a byte's high bit set
    /// in the result marks it), then the clean bytes before the first marked one; stops there, or where fewer than
    /// 8 bytes are left, with `index` on the next byte to look at. The caller reserved room for whole words.
    @inline(__always)
    private mutating func copyCleanWords(
        from source: UnsafeRawPointer, at index: inout Int, length: Int, flags: (UInt64) -> UInt64
    ) {
        while length &- index >= 8 {
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let marked = flags(word)
            base.storeBytes(of: word.littleEndian, toByteOffset: count, as: UInt64.self)
            if marked == 0 {
                index &+= 8
                count &+= 8
                continue
            }
            let clean = marked.trailingZeroBitCount >> 3
            index &+= clean
            count &+= clean
            return
        }
    }

    /// The escape of a control byte, quote or backslash (inside the reservation ``putEscaped`` checked).
    private mutating func putEscape(for byte: UInt8) {
        let hexDigits: StaticString = "0123456789abcdef"
        let escape: (UInt8, Int) =
            switch byte {
            case 0x22, 0x5C: (byte, 2)
            case 0x08: (UInt8(ascii: "b"), 2)
            case 0x0C: (UInt8(ascii: "f"), 2)
            case 0x0A: (UInt8(ascii: "n"), 2)
            case 0x0D: (UInt8(ascii: "r"), 2)
            case 0x09: (UInt8(ascii: "t"), 2)
            default: (0, 6)
            }
        base.storeBytes(of: UInt8(ascii: "\\"), toByteOffset: count, as: UInt8.self)
        if escape.1 == 2 {
            base.storeBytes(of: escape.0, toByteOffset: count &+ 1, as: UInt8.self)
        } else {
            base.storeBytes(of: UInt8(ascii: "u"), toByteOffset: count &+ 1, as: UInt8.self)
            base.storeBytes(of: UInt8(ascii: "0"), toByteOffset: count &+ 2, as: UInt8.self)
            base.storeBytes(of: UInt8(ascii: "0"), toByteOffset: count &+ 3, as: UInt8.self)
            base.storeBytes(of: hexDigits.utf8Start[Int(byte >> 4)], toByteOffset: count &+ 4, as: UInt8.self)
            base.storeBytes(of: hexDigits.utf8Start[Int(byte & 0xF)], toByteOffset: count &+ 5, as: UInt8.self)
        }
        count &+= escape.1
    }

    /// Copies a raw JSON value with line breaks as spaces; false when it is not valid UTF-8 and not `validated`.
    private mutating func putRaw(_ value: UnsafeRawBufferPointer, validated: Bool) -> Bool {
        ensure(value.count &+ 8)
        guard let source = value.baseAddress else { return true }
        var checked = validated
        var index = 0
        let length = value.count
        while index < length {
            copyCleanWords(from: source, at: &index, length: length) { word in
                Self.zeroBytes(word ^ (Self.ones &* 0x0A)) | Self.zeroBytes(word ^ (Self.ones &* 0x0D))
                    | (word & Self.highBits)
            }
            guard index < length else { break }
            var byte = source.load(fromByteOffset: index, as: UInt8.self)
            index &+= 1
            if byte >= 0x80, !checked {
                guard UTF8Check.isValid(value) else { return false }
                checked = true
            } else if byte == 0x0A || byte == 0x0D {
                byte = 0x20
            }
            base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count &+= 1
        }
        return true
    }

    // MARK: Numbers, times, ids

    /// Writes `value` (0…99) as two digits at `offset` (the divisions by 10 compile to multiplications).
    @inline(__always) private func putPair(_ value: Int, at offset: Int) {
        base.storeBytes(of: UInt8(truncatingIfNeeded: 0x30 &+ value / 10), toByteOffset: offset, as: UInt8.self)
        base.storeBytes(of: UInt8(truncatingIfNeeded: 0x30 &+ value % 10), toByteOffset: offset &+ 1, as: UInt8.self)
    }

    /// Appends a non-negative integer in decimal.
    mutating func putDecimal(_ value: UInt64) {
        ensure(20)
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20, value >= scale {
            digits += 1
            scale = scale &* 10
        }
        var remaining = value
        var position = count &+ digits
        repeat {
            position &-= 1
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(remaining % 10), toByteOffset: position, as: UInt8.self)
            remaining /= 10
        } while remaining > 0
        count &+= digits
    }

    /// Appends `value` as `String(value)` spells it.
    mutating func putDecimal(_ value: Int64) {
        if value < 0 {
            put(UInt8(ascii: "-"))
            putDecimal(value.magnitude)
        } else {
            putDecimal(UInt64(value))
        }
    }

    /// Appends `value.description` (Swift's shortest round-tripping form).
    mutating func putDescription(_ value: Double) {
        var text = value.description
        text.withUTF8 { put(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends `time.description` (RFC 3339, six fractional digits, `Z`), as ``Timestamp/appendRFC3339(to:)``.
    mutating func putRFC3339(_ time: Timestamp) {
        let (days, microsOfDay) = time.microseconds.floorDividedBy(86_400_000_000)
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            var text = time.description
            text.withUTF8 { put(bytes: UnsafeRawBufferPointer($0)) }
            return
        }
        ensure(27)
        let seconds = Int(microsOfDay / 1_000_000)
        let micros = Int(microsOfDay % 1_000_000)
        putPair(Int(year / 100), at: count)
        putPair(Int(year % 100), at: count &+ 2)
        base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count &+ 4, as: UInt8.self)
        putPair(Int(month), at: count &+ 5)
        base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count &+ 7, as: UInt8.self)
        putPair(Int(day), at: count &+ 8)
        base.storeBytes(of: UInt8(ascii: "T"), toByteOffset: count &+ 10, as: UInt8.self)
        putPair(seconds / 3600, at: count &+ 11)
        base.storeBytes(of: UInt8(ascii: ":"), toByteOffset: count &+ 13, as: UInt8.self)
        putPair(seconds / 60 % 60, at: count &+ 14)
        base.storeBytes(of: UInt8(ascii: ":"), toByteOffset: count &+ 16, as: UInt8.self)
        putPair(seconds % 60, at: count &+ 17)
        base.storeBytes(of: UInt8(ascii: "."), toByteOffset: count &+ 19, as: UInt8.self)
        putPair(micros / 10_000, at: count &+ 20)
        putPair(micros / 100 % 100, at: count &+ 22)
        putPair(micros % 100, at: count &+ 24)
        base.storeBytes(of: UInt8(ascii: "Z"), toByteOffset: count &+ 26, as: UInt8.self)
        count &+= 27
    }

    /// Appends the 32 lowercase hex digits of a trace id, eight digits per step, without a table.
    mutating func putHex(_ id: TraceID) {
        ensure(32)
        base.storeBytes(of: Self.hexWord(id.high >> 32).littleEndian, toByteOffset: count, as: UInt64.self)
        base.storeBytes(of: Self.hexWord(id.high & 0xFFFF_FFFF).littleEndian, toByteOffset: count &+ 8, as: UInt64.self)
        base.storeBytes(of: Self.hexWord(id.low >> 32).littleEndian, toByteOffset: count &+ 16, as: UInt64.self)
        base.storeBytes(of: Self.hexWord(id.low & 0xFFFF_FFFF).littleEndian, toByteOffset: count &+ 24, as: UInt64.self)
        count &+= 32
    }

    /// The 8 hex digits of a 32-bit value as 8 ASCII bytes, the most significant digit in the lowest byte.
    @inline(__always) private static func hexWord(_ value: UInt64) -> UInt64 {
        // One nibble per byte, the least significant nibble in the lowest byte…
        var spread = (value | value << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF
        spread = (spread | spread << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // …then the most significant first, and '0'…'9' or 'a'…'f' per byte (no carries: each byte is < 16).
        let nibbles = spread.byteSwapped
        let letters = ((nibbles &+ ones &* 0x06) >> 4) & ones
        return nibbles &+ ones &* 0x30 &+ letters &* 0x27
    }
}
