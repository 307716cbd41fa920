import TraceLogStorage

/// The resolution cache's set of traces known to exist (one per cache generation).
///
/// Open addressing with linear probing, at most half full, like ``EntityTable``: a `Set<TraceID>` ran SipHash
/// over the 16 bytes of every id looked up or inserted, and rehashed them all again each time it grew. The slot
/// an id starts probing from comes from both of its halves folded through two full-width multiplies with
/// per-process random seeds, so ids given in the input (`trace.id`) cannot be crafted to pile into one probe run.
/// A removal (a rolled-back unit) leaves a tombstone, dropped when the table grows.
struct TraceTable: Sendable {
    private struct Slot: Sendable {
        var id: TraceID
        var state: State
    }

    private enum State: UInt8, Sendable {
        case empty, held, removed
    }

    private static let seeds: (UInt64, UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next() | 1, generator.next() | 1)
    }()

    private var slots: [Slot]
    private var mask: Int
    private let seeds: (UInt64, UInt64, UInt64)
    /// Traces held.
    private(set) var count = 0
    /// Slots taken: traces and tombstones.
    private var taken = 0

    /// An empty table with room for `capacity` traces before it grows.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(id: TraceID(high: 0, low: 0), state: .empty), count: size)
        mask = size - 1
        seeds = Self.seeds
    }

    private func start(_ id: TraceID) -> Int {
        let first = (id.low ^ seeds.0).multipliedFullWidth(by: seeds.1)
        let second = (id.high ^ first.high ^ first.low).multipliedFullWidth(by: seeds.2)
        return Int(truncatingIfNeeded: second.high ^ second.low) & mask
    }

    /// The slot holding `id`, or the empty slot where its probe ends.
    private func find(_ id: TraceID) -> (slot: Int, found: Bool) {
        var slot = start(id)
        while true {
            let current = slots[slot]
            if current.state == .empty { return (slot, false) }
            if current.state == .held, current.id == id { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    /// Whether `id` is held.
    func contains(_ id: TraceID) -> Bool { find(id).found }

    /// Adds `id`, if not held.
    mutating func insert(_ id: TraceID) {
        if (taken + 1) * 2 > slots.count { rehash(size: count * 4 >= slots.count ? slots.count * 2 : slots.count) }
        let (slot, found) = find(id)
        guard !found else { return }
        slots[slot] = Slot(id: id, state: .held)
        count += 1
        taken += 1
    }

    /// Takes `id` out, if held.
    mutating func remove(_ id: TraceID) {
        let (slot, found) = find(id)
        guard found else { return }
        slots[slot].state = .removed
        count -= 1
    }

    /// Rebuilds the table with `size` slots, keeping the traces and dropping tombstones.
    private mutating func rehash(size: Int) {
        let old = slots
        slots = Array(repeating: Slot(id: TraceID(high: 0, low: 0), state: .empty), count: size)
        mask = size - 1
        for slot in old where slot.state == .held {
            var index = start(slot.id)
            while slots[index].state != .empty { index = (index + 1) & mask }
            slots[index] = slot
        }
        taken = count
    }
}
