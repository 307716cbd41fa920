/// A growable byte buffer that JSON lines are appended to, field by field, through a raw pointer.
///
/// The hot path builds every line with byte stores into buffers like this one (no `String`
/// formatting, no Foundation, no per-append uniqueness check as `Array` does), so a steady-state
/// line costs no allocation once the buffer has grown.
///
/// Invariant: `pointer` owns `capacity` bytes, of which the first `count` are initialized; the
/// memory is freed in `deinit`. A buffer is a reference: each one has a single owner (a scenario
/// slot or an iterator), and owners replace a buffer they share instead of writing to it
/// (`ScenarioScript.reset()`), which is why it may be `@unchecked Sendable`.
///
/// Strings passed to `appendQuoted` come from the generator's own vocabulary, which holds only
/// characters that need no JSON escaping (checked by the tests that parse every line).
final class LineBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// The number of bytes written.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit {
        pointer.deallocate()
    }

    /// The written bytes, valid until the next append.
    var written: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: pointer, count: count)
    }

    /// The written bytes as an array (a copy).
    var bytes: [UInt8] {
        Array(written)
    }

    /// Makes room for `additional` more bytes.
    @inline(__always)
    func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newPointer.initialize(from: pointer, count: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawPointer, count byteCount: Int) {
        reserve(byteCount)
        (pointer + count).update(from: bytes.assumingMemoryBound(to: UInt8.self), count: byteCount)
        count += byteCount
    }

    @inline(__always)
    func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress else { return }
        append(base, count: buffer.count)
    }

    @inline(__always)
    func append(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    @inline(__always)
    func append(byte: UInt8) {
        reserve(1)
        pointer[count] = byte
        count += 1
    }

    /// Appends `"text"`.
    @inline(__always)
    func appendQuoted(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        reserve(length + 2)
        pointer[count] = UInt8(ascii: "\"")
        (pointer + count + 1).update(from: text.utf8Start, count: length)
        pointer[count + length + 1] = UInt8(ascii: "\"")
        count += length + 2
    }

    /// Appends the low `digits` nibbles of `value` as lowercase hex, most significant first.
    @inline(__always)
    func appendHex(_ value: UInt64, digits: Int) {
        reserve(digits)
        var rest = value
        var index = count + digits - 1
        while index >= count {
            let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
            pointer[index] = nibble < 10 ? nibble &+ 48 : nibble &+ 87
            rest >>= 4
            index -= 1
        }
        count += digits
    }

    /// Appends a non-negative integer in decimal.
    func appendDecimal(_ value: Int) {
        precondition(value >= 0, "only non-negative numbers are written")
        var digits = 1
        var limit = 10
        while value >= limit, digits < 19 {
            digits += 1
            limit &*= 10
        }
        appendPadded(value, width: digits)
    }

    /// Appends `value` with exactly `width` digits, zero-padded (`value` must fit).
    @inline(__always)
    func appendPadded(_ value: Int, width: Int) {
        reserve(width)
        var rest = value
        var index = count + width - 1
        while index >= count {
            pointer[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
            rest /= 10
            index -= 1
        }
        count += width
    }

    /// Appends `thousandths / 1000` as a JSON number: `1532`, `1532.4`, `0.25` (trailing zeros dropped).
    func appendMilliseconds(thousandths: Int) {
        appendDecimal(thousandths / 1000)
        var fraction = thousandths % 1000
        guard fraction != 0 else { return }
        append(byte: UInt8(ascii: "."))
        var width = 3
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        appendPadded(fraction, width: width)
    }
}
