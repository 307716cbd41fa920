/// An open-addressing hash table from a 64-bit key hash to an `Int32` (the head of a posting chain).
///
/// Keys are already well-mixed hashes, so the table uses their low bits directly with linear probing, at a
/// load factor of at most one half. Several times faster than `Dictionary` for this use (no `Hasher`, no
/// boxing), which matters because every record of the active segment is indexed on open. Projections of large
/// traces use it too, keyed by entity hashes.
package struct HashHeads: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    /// Number of keys.
    package private(set) var count = 0

    /// An empty table with room for `capacity` keys before it grows.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// 0 marks an empty slot, so the (astronomically rare) hash 0 is stored as 1; lookups verify records anyway.
    private static func stored(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    /// The value for `hash`, or -1.
    package func value(for hash: UInt64) -> Int32 {
        let key = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let current = keys[slot]
            if current == key { return values[slot] }
            if current == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// Sets the value for `hash`; returns the previous value or -1.
    @discardableResult
    package mutating func set(_ value: Int32, for hash: UInt64) -> Int32 {
        if (count + 1) * 2 > keys.count { grow() }
        let key = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let current = keys[slot]
            if current == key {
                let previous = values[slot]
                values[slot] = value
                return previous
            }
            if current == 0 {
                keys[slot] = key
                values[slot] = value
                count += 1
                return -1
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with every (key, value).
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for slot in keys.indices where keys[slot] != 0 { body(keys[slot], values[slot]) }
    }

    private mutating func grow() {
        var bigger = HashHeads(capacity: keys.count)
        forEach { key, value in bigger.set(value, for: key) }
        self = bigger
    }
}
