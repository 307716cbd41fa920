import TraceLogStorage

/// What trace resolution learned, kept between ingest calls: entity → trace, and traces known to exist.
///
/// Bounded, so an ingest's memory does not grow with the log: two generations of at most ``generationLimit``
/// entries each. Lookups try the young generation, then the old one (promoting a hit); when the young one is
/// full, the old one is dropped and the young one becomes old. An entity or trace seen within the last
/// `generationLimit` insertions is therefore always found — the recency an event stream has (a cause is
/// almost always recent) — and a miss falls back to the memory-mapped indexes, which always know the answer.
/// Entities and traces never move, so a cached answer never goes stale.
///
/// Cost: O(1) per lookup and insertion; memory about 2 × `generationLimit` × ~100 bytes (the default keeps
/// ~50 MB at most).
struct ResolutionCache: Sendable {
    /// Entries per generation.
    let generationLimit: Int
    private var youngEntities: [EntityRef: TraceID] = [:]
    private var oldEntities: [EntityRef: TraceID] = [:]
    private var youngTraces: Set<TraceID> = []
    private var oldTraces: Set<TraceID> = []

    /// Called before a generation is dropped (the ingest session makes sure then that nothing the cache alone
    /// knows is still being written).
    var willForget: (@Sendable () -> Void)?

    /// The default generation size: 262,144 entries.
    static let defaultGenerationLimit = 1 << 18

    init(generationLimit: Int = ResolutionCache.defaultGenerationLimit) {
        precondition(generationLimit > 0, "a cache generation needs room for one entry")
        self.generationLimit = generationLimit
    }

    /// Entries held now (both generations), for tests of the bound.
    var count: Int { youngEntities.count + oldEntities.count + youngTraces.count + oldTraces.count }

    /// The trace an entity is known to be in.
    mutating func trace(of entity: EntityRef) -> TraceID? {
        if let found = youngEntities[entity] { return found }
        guard let found = oldEntities[entity] else { return nil }
        remember(entity, in: found)
        return found
    }

    /// Whether a trace is known to exist.
    mutating func knows(trace: TraceID) -> Bool {
        if youngTraces.contains(trace) { return true }
        guard oldTraces.contains(trace) else { return false }
        remember(trace: trace)
        return true
    }

    mutating func remember(_ entity: EntityRef, in trace: TraceID) {
        if youngEntities.count >= generationLimit {
            willForget?()
            oldEntities = youngEntities
            youngEntities = Dictionary(minimumCapacity: generationLimit)
        }
        youngEntities[entity] = trace
    }

    mutating func remember(trace: TraceID) {
        if youngTraces.count >= generationLimit {
            willForget?()
            oldTraces = youngTraces
            youngTraces = Set(minimumCapacity: generationLimit)
        }
        youngTraces.insert(trace)
    }
}
