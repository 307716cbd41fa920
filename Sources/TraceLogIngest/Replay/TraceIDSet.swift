import TraceLogStorage

/// A set of trace ids for ``ReplayOrder``, which asks about the trace of every replayed record: open addressing
/// with linear probing over one array of id halves, hashed by one multiplication (trace ids are random bits, or
/// hashes of tags). `Set<TraceID>` spent more on SipHash, per record, than the rest of the order's work.
///
/// Cost: `contains` and `insert` are one multiplication and, at most half full, about 1.5 probes of 16 bytes.
/// Memory: 32 bytes per id at the most (16 per slot, at least half the slots empty).
struct TraceIDSet {
    /// Slot `i` holds `high` at `2i` and `low` at `2i + 1`; all-zero is an empty slot (the all-zero id is kept
    /// in `hasZero` instead).
    private var slots: [UInt64] = Array(repeating: 0, count: 2 * 1024)
    private var mask = 1023
    private var shift: UInt64 = 64 - 10
    private var hasZero = false
    /// The number of ids in the set.
    private(set) var count = 0

    @inline(__always) private func home(_ id: TraceID) -> Int {
        Int(truncatingIfNeeded: ((id.high ^ id.low) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Whether `id` is in the set.
    func contains(_ id: TraceID) -> Bool {
        if id.high == 0, id.low == 0 { return hasZero }
        var slot = home(id)
        while true {
            let high = slots[2 &* slot]
            let low = slots[2 &* slot &+ 1]
            if high == id.high, low == id.low { return true }
            if high == 0, low == 0 { return false }
            slot = (slot &+ 1) & mask
        }
    }

    /// Adds `id`; false when it was there already.
    mutating func insert(_ id: TraceID) -> Bool {
        if id.high == 0, id.low == 0 {
            defer { hasZero = true }
            if hasZero { return false }
            count += 1
            return true
        }
        if 2 * (count + 1) > mask + 1 { grow() }
        var slot = home(id)
        while true {
            let high = slots[2 &* slot]
            let low = slots[2 &* slot &+ 1]
            if high == id.high, low == id.low { return false }
            if high == 0, low == 0 { break }
            slot = (slot &+ 1) & mask
        }
        slots[2 &* slot] = id.high
        slots[2 &* slot &+ 1] = id.low
        count += 1
        return true
    }

    /// Empties the set, keeping its memory.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = 0 }
        hasZero = false
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = old.count - 1
        shift -= 1
        let hadZero = hasZero
        count = 0
        hasZero = false
        for index in stride(from: 0, to: old.count, by: 2) where old[index] != 0 || old[index + 1] != 0 {
            _ = insert(TraceID(high: old[index], low: old[index + 1]))
        }
        if hadZero { _ = insert(TraceID(high: 0, low: 0)) }
    }
}
