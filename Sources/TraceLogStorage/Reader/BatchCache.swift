import Synchronization

struct BatchCacheKey: Hashable, Sendable {
    var segmentBase: UInt64
    var offset: Int64
}

/// A small cache of decompressed batches (about `capacity` × 16 KiB with the default batch size), evicting the least recently used.
///
/// Lookups of one trace usually hit a few neighbouring batches; this keeps repeated lookups from
/// decompressing them again. Safe because batches never change once written.
///
/// The entries sit in flat arrays searched linearly: with 64 entries a scan of the keys (1 KiB) costs a few
/// hundred instructions, where a `Dictionary` hashed every key with SipHash and finding the oldest entry walked
/// the dictionary, retaining and releasing each payload — 7% of a warm `trace get`.
final class BatchCache: Sendable {
    private struct State {
        var keys: [BatchCacheKey] = []
        var payloads: [BatchPayload] = []
        /// The clock value of each entry's last use.
        var lastUse: [UInt64] = []
        var clock: UInt64 = 0

        func slot(of key: BatchCacheKey) -> Int? {
            keys.withUnsafeBufferPointer { keys in
                for index in keys.indices where keys[index] == key { return index }
                return nil
            }
        }
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
    }

    func get(_ key: BatchCacheKey) -> BatchPayload? {
        state.withLock { state in
            guard let slot = state.slot(of: key) else { return nil }
            state.clock += 1
            state.lastUse[slot] = state.clock
            return state.payloads[slot]
        }
    }

    func put(_ key: BatchCacheKey, _ payload: BatchPayload) {
        state.withLock { state in
            state.clock += 1
            if let slot = state.slot(of: key) {
                state.payloads[slot] = payload
                state.lastUse[slot] = state.clock
            } else if state.keys.count < capacity {
                state.keys.append(key)
                state.payloads.append(payload)
                state.lastUse.append(state.clock)
            } else {
                let oldest = state.lastUse.withUnsafeBufferPointer { uses in
                    var oldest = 0
                    for index in uses.indices where uses[index] < uses[oldest] { oldest = index }
                    return oldest
                }
                state.keys[oldest] = key
                state.payloads[oldest] = payload
                state.lastUse[oldest] = state.clock
            }
        }
    }
}
