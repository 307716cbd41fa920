import Synchronization

struct BatchCacheKey: Hashable, Sendable {
    var segmentBase: UInt64
    var offset: Int64
}

/// A small cache of decompressed batches (about `capacity` × 16 KiB with the default batch size), evicting the least recently used.
///
/// Lookups of one trace usually hit a few neighbouring batches; this keeps repeated lookups from
/// decompressing them again. Safe because batches never change once written.
final class BatchCache: Sendable {
    private struct State {
        var entries: [BatchCacheKey: (payload: BatchPayload, lastUse: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    func get(_ key: BatchCacheKey) -> BatchPayload? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            state.clock += 1
            state.entries[key] = (entry.payload, state.clock)
            return entry.payload
        }
    }

    func put(_ key: BatchCacheKey, _ payload: BatchPayload) {
        state.withLock { state in
            state.clock += 1
            if state.entries.count >= capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries.removeValue(forKey: oldest.key)
            }
            state.entries[key] = (payload, state.clock)
        }
    }
}
