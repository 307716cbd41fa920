import TraceLogStorage

/// The resolution cache's table from entity to trace (one per cache generation).
///
/// Open addressing with linear probing, at most half full. A slot holds the entity's 64-bit key hash, its trace
/// and where its reference is kept, so a probe of a table larger than the processor's caches costs one miss (a
/// `Dictionary` keeps keys and values apart: two), and no `Hasher` runs (about a fifth of the ingest thread went
/// to `Dictionary` and `Hasher` before). The reference is compared only when the hashes match: two entities whose
/// 64-bit hashes collide stay two keys.
///
/// The slot an entity starts probing from mixes its key hash with a per-process random seed (a full-width
/// multiply, folded: the mix of wyhash and of Go's maps), so ids crafted to share hash bits do not pile into one
/// probe run. A removal (a rolled-back unit) leaves a tombstone, dropped when the table grows; a generation
/// lives until the cache rotates it out, so tombstones never pile up either.
struct EntityTable: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var trace: TraceID
        /// Index of the entity in `refs`; ``empty`` or ``removed`` otherwise.
        var ref: Int32
    }

    private static let empty: Int32 = -1
    private static let removed: Int32 = -2
    private static let seeds: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next() | 1)
    }()

    private var slots: [Slot]
    private var refs: [EntityRef] = []
    private var mask: Int
    private let seeds: (UInt64, UInt64)
    /// Entities held.
    private(set) var count = 0
    /// Slots taken: entities and tombstones.
    private var taken = 0

    /// An empty table with room for `capacity` entities before it grows.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(hash: 0, trace: TraceID(high: 0, low: 0), ref: Self.empty), count: size)
        mask = size - 1
        seeds = Self.seeds
        refs.reserveCapacity(capacity)
    }

    private func start(_ hash: UInt64) -> Int {
        let product = (hash ^ seeds.0).multipliedFullWidth(by: seeds.1)
        return Int(truncatingIfNeeded: product.high ^ product.low) & mask
    }

    /// The slot holding `key`, or the empty slot where its probe ends.
    private func find(_ key: EntityKey) -> (slot: Int, found: Bool) {
        var slot = start(key.hash)
        while true {
            let current = slots[slot]
            if current.ref == Self.empty { return (slot, false) }
            if current.ref >= 0, current.hash == key.hash, Self.same(refs[Int(current.ref)], key.ref) {
                return (slot, true)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Whether two references name the same entity: same type, same id bytes — the index's notion of the same
    /// key (`==` on `String` compares canonical equivalence, through a retained copy of the stored reference:
    /// about 150 instructions per cache hit).
    private static func same(_ stored: EntityRef, _ wanted: EntityRef) -> Bool {
        guard stored.type == wanted.type else { return false }
        let same = stored.id.utf8.withContiguousStorageIfAvailable { stored in
            wanted.id.utf8.withContiguousStorageIfAvailable { wanted in
                KeyBytes.equal(UnsafeRawBufferPointer(stored), UnsafeRawBufferPointer(wanted))
            }
        }
        if let same = same ?? nil { return same }
        return stored.id.utf8.elementsEqual(wanted.id.utf8)
    }

    /// The trace of `key`, if held.
    subscript(key: EntityKey) -> TraceID? {
        let (slot, found) = find(key)
        return found ? slots[slot].trace : nil
    }

    /// Sets the trace of `key` (adding it, or replacing its trace).
    mutating func set(_ trace: TraceID, for key: EntityKey) {
        if (taken + 1) * 2 > slots.count { rehash(size: count * 4 >= slots.count ? slots.count * 2 : slots.count) }
        let (slot, found) = find(key)
        if found {
            slots[slot].trace = trace
            return
        }
        slots[slot] = Slot(hash: key.hash, trace: trace, ref: Int32(refs.count))
        refs.append(key.ref)
        count += 1
        taken += 1
    }

    /// Calls `body` with the key hash of each entity held.
    func forEachHash(_ body: (UInt64) -> Void) {
        for slot in slots where slot.ref >= 0 { body(slot.hash) }
    }

    /// Takes `key` out, if held.
    mutating func remove(_ key: EntityKey) {
        let (slot, found) = find(key)
        guard found else { return }
        slots[slot].ref = Self.removed
        count -= 1
    }

    /// Rebuilds the table with `size` slots, keeping the entities and dropping tombstones.
    ///
    /// Slots are moved as they are (their hash is kept, so nothing is hashed or compared again); the references
    /// stay where they are unless tombstones left some unused, which are then dropped.
    private mutating func rehash(size: Int) {
        var live: [Slot] = []
        live.reserveCapacity(count)
        for slot in slots where slot.ref >= 0 { live.append(slot) }
        if refs.count != live.count {
            var kept: [EntityRef] = []
            kept.reserveCapacity(max(live.count, size / 2))
            for index in live.indices {
                kept.append(refs[Int(live[index].ref)])
                live[index].ref = Int32(kept.count - 1)
            }
            refs = kept
        }
        slots = Array(repeating: Slot(hash: 0, trace: TraceID(high: 0, low: 0), ref: Self.empty), count: size)
        mask = size - 1
        for slot in live {
            var index = start(slot.hash)
            while slots[index].ref != Self.empty { index = (index + 1) & mask }
            slots[index] = slot
        }
        taken = live.count
    }
}

/// Byte comparison of keys, eight bytes at a time.
enum KeyBytes {
    static func equal(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        guard first.count == second.count else { return false }
        var offset = 0
        while offset + 8 <= first.count {
            let word = first.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard word == second.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < first.count {
            guard first[offset] == second[offset] else { return false }
            offset += 1
        }
        return true
    }
}
