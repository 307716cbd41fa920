import TraceLogStorage

/// The resolution cache's table from entity to trace (one per cache generation).
///
/// Open addressing with linear probing, at most half full. A slot holds the entity's 64-bit key hash, its trace
/// and where its reference is kept, so a probe of a table larger than the processor's caches costs one miss (a
/// `Dictionary` keeps keys and values apart: two), and no `Hasher` runs (about a fifth of the ingest thread went
/// to `Dictionary` and `Hasher` before). The reference is compared only when the hashes match: two entities whose
/// 64-bit hashes collide stay two keys.
///
/// **References are copied into the table's own bytes** (type, length, id), not kept as the events' `String`s.
/// A generation outlives hundreds of thousands of events, and holding their id strings pinned them among the
/// short-lived strings the parse thread allocates: once a generation was dropped, its strings freed all over the
/// allocator's pages, and each allocation of the parse thread then popped a cold block (a cache miss inside
/// `malloc`: about 10% of the CPU of a 10M-line `tracelog ingest`, against 3% at 1M lines, before a generation
/// is ever dropped). Copied, the table touches one contiguous buffer and retains nothing.
///
/// The slot an entity starts probing from mixes its key hash with a per-process random seed (a full-width
/// multiply, folded: the mix of wyhash and of Go's maps), so ids crafted to share hash bits do not pile into one
/// probe run. A removal (a rolled-back unit) leaves a tombstone, dropped when the table grows; a generation
/// lives until the cache rotates it out, so tombstones never pile up either.
struct EntityTable: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var trace: TraceID
        /// Offset of the entity's reference in `keys`; ``empty`` or ``removed`` otherwise.
        var key: Int
    }

    private static let empty = -1
    private static let removed = -2
    /// Bytes before a reference's id in `keys`: its type, then its id's length (32 bits, little-endian).
    private static let keyHeader = 5
    private static let seeds: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next() | 1)
    }()

    private var slots: [Slot]
    /// The references held, one after the other: type, id length, id bytes.
    private var keys: [UInt8] = []
    /// Bytes of `keys` that belong to removed entities (dropped when the table grows).
    private var removedKeyBytes = 0
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
        slots = Array(repeating: Slot(hash: 0, trace: TraceID(high: 0, low: 0), key: Self.empty), count: size)
        mask = size - 1
        seeds = Self.seeds
        // Room for ids of up to 27 bytes each (ids are 24 bytes in StackStorm), grown by doubling beyond that.
        keys.reserveCapacity(capacity * (Self.keyHeader + 27))
    }

    private func start(_ hash: UInt64) -> Int {
        let product = (hash ^ seeds.0).multipliedFullWidth(by: seeds.1)
        return Int(truncatingIfNeeded: product.high ^ product.low) & mask
    }

    /// The slot holding `key`, or the empty slot where its probe ends.
    private func find(_ key: EntityKey) -> (slot: Int, found: Bool) {
        var id = key.ref.id
        return id.withUTF8 { id in
            keys.withUnsafeBytes { keys in
                var slot = start(key.hash)
                while true {
                    let current = slots[slot]
                    if current.key == Self.empty { return (slot, false) }
                    if current.key >= 0, current.hash == key.hash,
                        Self.holds(keys, at: current.key, key.ref.type, UnsafeRawBufferPointer(id))
                    {
                        return (slot, true)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Whether the reference stored at `offset` is `type` with the id `id`: same type, same id bytes — the
    /// index's notion of the same key (not `==` on `String`, which compares canonical equivalence).
    private static func holds(
        _ keys: UnsafeRawBufferPointer, at offset: Int, _ type: EntityType, _ id: UnsafeRawBufferPointer
    ) -> Bool {
        guard keys[offset] == type.rawValue else { return false }
        let length = idLength(keys, at: offset)
        guard length == id.count else { return false }
        let start = offset + keyHeader
        return KeyBytes.equal(UnsafeRawBufferPointer(rebasing: keys[start..<(start + length)]), id)
    }

    /// The id length of the reference stored at `offset`.
    private static func idLength(_ keys: UnsafeRawBufferPointer, at offset: Int) -> Int {
        Int(UInt32(littleEndian: keys.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)))
    }

    /// The bytes a reference takes in `keys`.
    private static func keySize(at offset: Int, in keys: [UInt8]) -> Int {
        keyHeader + keys.withUnsafeBytes { idLength($0, at: offset) }
    }

    /// Appends `ref` to `keys`; returns its offset.
    private mutating func store(_ ref: EntityRef) -> Int {
        let offset = keys.count
        var id = ref.id
        id.withUTF8 { id in
            precondition(id.count <= Int(UInt32.max), "an entity id longer than 4 GiB")
            keys.append(ref.type.rawValue)
            withUnsafeBytes(of: UInt32(id.count).littleEndian) { keys.append(contentsOf: $0) }
            keys.append(contentsOf: id)
        }
        return offset
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
        slots[slot] = Slot(hash: key.hash, trace: trace, key: store(key.ref))
        count += 1
        taken += 1
    }

    /// Calls `body` with the key hash of each entity held.
    func forEachHash(_ body: (UInt64) -> Void) {
        for slot in slots where slot.key >= 0 { body(slot.hash) }
    }

    /// Takes `key` out, if held.
    mutating func remove(_ key: EntityKey) {
        let (slot, found) = find(key)
        guard found else { return }
        removedKeyBytes += Self.keySize(at: slots[slot].key, in: keys)
        slots[slot].key = Self.removed
        count -= 1
    }

    /// Rebuilds the table with `size` slots, keeping the entities and dropping tombstones.
    ///
    /// Slots are moved as they are (their hash is kept, so nothing is hashed or compared again); the references
    /// stay where they are unless removals left bytes unused, which are then dropped.
    private mutating func rehash(size: Int) {
        var live: [Slot] = []
        live.reserveCapacity(count)
        for slot in slots where slot.key >= 0 { live.append(slot) }
        if removedKeyBytes > 0 {
            var kept: [UInt8] = []
            kept.reserveCapacity(keys.count - removedKeyBytes)
            for index in live.indices {
                let offset = live[index].key
                live[index].key = kept.count
                kept.append(contentsOf: keys[offset..<(offset + Self.keySize(at: offset, in: keys))])
            }
            keys = kept
            removedKeyBytes = 0
        }
        slots = Array(repeating: Slot(hash: 0, trace: TraceID(high: 0, low: 0), key: Self.empty), count: size)
        mask = size - 1
        for slot in live {
            var index = start(slot.hash)
            while slots[index].key != Self.empty { index = (index + 1) & mask }
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
