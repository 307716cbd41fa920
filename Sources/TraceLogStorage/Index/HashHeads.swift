internal import CPlatform

/// An open-addressing hash table from a 64-bit key hash to an `Int32` (the head of a posting chain).
///
/// Keys are already well-mixed hashes, so the table uses their low bits directly with linear probing, at a
/// load factor of at most one half. Several times faster than `Dictionary` for this use (no `Hasher`, no
/// boxing), which matters because every record of the active segment is indexed on open. Projections of large
/// traces use it too, keyed by entity hashes. Each key sits next to its value, so a lookup in a table larger
/// than the caches costs one miss, not two.
package struct HashHeads: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        var value: Int32
        /// The caller's 32 bits beside the value (the slot's padding otherwise): see ``mark(atSlot:)``.
        var mark: UInt32 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    /// Number of keys.
    package private(set) var count = 0

    /// An empty table with room for `capacity` keys before it grows.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(key: 0, value: -1), count: size)
        mask = size - 1
    }

    /// 0 marks an empty slot, so the (astronomically rare) hash 0 is stored as 1; lookups verify records anyway.
    private static func stored(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    /// The value for `hash`, or -1.
    package func value(for hash: UInt64) -> Int32 {
        let key = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let current = slots[slot]
            if current.key == key { return current.value }
            if current.key == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// Sets the value for `hash`; returns the previous value or -1.
    @discardableResult
    package mutating func set(_ value: Int32, for hash: UInt64) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let key = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let current = slots[slot].key
            if current == key {
                let previous = slots[slot].value
                slots[slot].value = value
                return previous
            }
            if current == 0 {
                slots[slot] = Slot(key: key, value: value)
                count += 1
                return -1
            }
            slot = (slot + 1) & mask
        }
    }

    /// Finds the slot of `hash`, adding the key with value -1 if it is absent, and returns its index for
    /// ``value(atSlot:)`` and ``setValue(_:atSlot:)``: one probe where ``value(for:)`` then ``set(_:for:)`` make
    /// two (each a likely cache miss in a large table). The index is valid until the next key is added.
    package mutating func slot(for hash: UInt64) -> Int {
        if (count + 1) * 2 > slots.count { grow() }
        let key = Self.stored(hash)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let current = slots[slot].key
            if current == key { return slot }
            if current == 0 {
                slots[slot] = Slot(key: key, value: -1)
                count += 1
                return slot
            }
            slot = (slot + 1) & mask
        }
    }

    /// Asks the processor for the cache line where `hash`'s probe starts, so that a ``slot(for:)`` soon after
    /// finds it cached. A batch of insertions into a table larger than the caches prefetches all its keys
    /// first, and their misses overlap instead of coming one after another.
    package func prefetch(_ hash: UInt64) {
        let slot = Int(truncatingIfNeeded: Self.stored(hash)) & mask
        slots.withUnsafeBufferPointer { tracelog_prefetch_write($0.baseAddress! + slot) }
    }

    /// The value in a slot ``slot(for:)`` returned (-1 for a key it just added).
    package func value(atSlot slot: Int) -> Int32 { slots[slot].value }

    /// Sets the value in a slot ``slot(for:)`` returned.
    package mutating func setValue(_ value: Int32, atSlot slot: Int) { slots[slot].value = value }

    /// The 32 bits a caller keeps beside a slot's value (0 until set): a posting chain keeps its head's sequence
    /// number there, so checking the head needs no read of the postings, a second cache miss.
    package func mark(atSlot slot: Int) -> UInt32 { slots[slot].mark }

    /// Sets the value and the mark in a slot ``slot(for:)`` returned.
    package mutating func setValue(_ value: Int32, mark: UInt32, atSlot slot: Int) {
        slots[slot].value = value
        slots[slot].mark = mark
    }

    /// Calls `body` with every (key, value).
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for slot in slots where slot.key != 0 { body(slot.key, slot.value) }
    }

    /// Doubles the table, moving each slot whole (its mark too).
    private mutating func grow() {
        var bigger = HashHeads(capacity: slots.count)
        for slot in slots where slot.key != 0 {
            var index = Int(truncatingIfNeeded: slot.key) & bigger.mask
            while bigger.slots[index].key != 0 { index = (index + 1) & bigger.mask }
            bigger.slots[index] = slot
        }
        bigger.count = count
        self = bigger
    }
}
