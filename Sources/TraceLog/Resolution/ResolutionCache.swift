import TraceLogStorage

/// What trace resolution learned: entity → trace, and traces known to exist — both what earlier ingest calls
/// wrote and what the records pending in the session introduce.
///
/// Bounded, so an ingest's memory does not grow with the log: two generations of at most ``generationLimit``
/// entries each. Lookups try the young generation, then the old one (promoting a hit); when the young one is
/// full, the old one is dropped and the young one becomes old. An entity or trace seen within the last
/// `generationLimit` insertions is therefore always found — the recency an event stream has (a cause is
/// almost always recent) — and a miss falls back to the memory-mapped indexes, which always know the answer
/// for what is written. Entities and traces never move, so a cached answer never goes stale.
///
/// **Pending entries.** New entities and traces are entered when their unit is resolved (``introduce(_:in:)``),
/// not after their records are written, so each is hashed and inserted once. Until ``commit()`` (their records
/// were handed to the write stage) they are journaled: ``rollback(to:)`` takes them out again when their unit
/// or request is rejected, and a generation dropped meanwhile gives its pending entries back to the young one,
/// since the indexes do not know them yet. What was handed to the write stage but is not indexed yet is
/// covered by ``willForget``, which the session makes wait for the write stage.
///
/// Cost: O(1) per lookup and insertion, one 64-bit hash per table operation (see ``EntityKey``); memory about
/// 2 × `generationLimit` × ~100 bytes (the default keeps ~50 MB at most).
struct ResolutionCache: Sendable {
    /// Entries per generation.
    let generationLimit: Int
    private var youngEntities = EntityTable()
    private var oldEntities = EntityTable()
    private var youngTraces: Set<TraceID> = []
    private var oldTraces: Set<TraceID> = []
    /// Entries introduced since the last ``commit()``, in order.
    private var pendingEntities: [(key: EntityKey, trace: TraceID)] = []
    private var pendingTraces: [TraceID] = []

    /// Called before a generation is dropped (the ingest session makes sure then that nothing the cache alone
    /// knows is still being written).
    var willForget: (@Sendable () -> Void)?

    /// The default generation size: 262,144 entries.
    static let defaultGenerationLimit = 1 << 18

    init(generationLimit: Int = ResolutionCache.defaultGenerationLimit) {
        precondition(generationLimit > 0, "a cache generation needs room for one entry")
        self.generationLimit = generationLimit
    }

    /// A point in the pending journal to roll back to.
    struct Mark: Hashable, Sendable {
        var entities = 0
        var traces = 0
    }

    /// Where the pending journal is now.
    var mark: Mark { Mark(entities: pendingEntities.count, traces: pendingTraces.count) }

    /// Entries held now (both generations), for tests of the bound.
    var count: Int { youngEntities.count + oldEntities.count + youngTraces.count + oldTraces.count }

    /// Entries introduced and not committed yet.
    var pendingCount: Int { pendingEntities.count + pendingTraces.count }

    /// The trace an entity is known to be in.
    mutating func trace(of entity: EntityRef) -> TraceID? { trace(of: EntityKey(entity)) }

    /// The trace an entity is known to be in.
    mutating func trace(of key: EntityKey) -> TraceID? {
        if let found = youngEntities[key] { return found }
        guard let found = oldEntities[key] else { return nil }
        remember(key, in: found)
        return found
    }

    /// Whether a trace is known to exist.
    mutating func knows(trace: TraceID) -> Bool {
        if youngTraces.contains(trace) { return true }
        guard oldTraces.contains(trace) else { return false }
        remember(trace: trace)
        return true
    }

    /// Remembers an entity found in the log.
    mutating func remember(_ entity: EntityRef, in trace: TraceID) { remember(EntityKey(entity), in: trace) }

    /// Remembers an entity found in the log.
    mutating func remember(_ key: EntityKey, in trace: TraceID) {
        if youngEntities.count >= generationLimit { rotateEntities() }
        youngEntities.set(trace, for: key)
    }

    /// Remembers a trace found in the log.
    mutating func remember(trace: TraceID) {
        if youngTraces.count >= generationLimit { rotateTraces() }
        youngTraces.insert(trace)
    }

    /// Enters a new entity whose record is pending (the caller checked it is not known).
    mutating func introduce(_ key: EntityKey, in trace: TraceID) {
        remember(key, in: trace)
        pendingEntities.append((key, trace))
    }

    /// Enters a new trace whose start record is pending (the caller checked it is not known).
    mutating func introduce(trace: TraceID) {
        remember(trace: trace)
        pendingTraces.append(trace)
    }

    /// Takes out everything introduced after `mark`.
    mutating func rollback(to mark: Mark) {
        for (key, _) in pendingEntities[mark.entities...] {
            youngEntities.remove(key)
            oldEntities.remove(key)
        }
        for trace in pendingTraces[mark.traces...] {
            youngTraces.remove(trace)
            oldTraces.remove(trace)
        }
        pendingEntities.removeSubrange(mark.entities...)
        pendingTraces.removeSubrange(mark.traces...)
    }

    /// Ends the journal: what was introduced is being written (from now on ``willForget`` covers it).
    mutating func commit() {
        pendingEntities.removeAll(keepingCapacity: true)
        pendingTraces.removeAll(keepingCapacity: true)
    }

    private mutating func rotateEntities() {
        willForget?()
        oldEntities = youngEntities
        youngEntities = EntityTable(capacity: generationLimit)
        // Pending entries of the dropped generation are not in the indexes yet: they stay.
        for (key, trace) in pendingEntities where oldEntities[key] == nil { youngEntities.set(trace, for: key) }
    }

    private mutating func rotateTraces() {
        willForget?()
        oldTraces = youngTraces
        youngTraces = Set(minimumCapacity: generationLimit)
        for trace in pendingTraces where !oldTraces.contains(trace) { youngTraces.insert(trace) }
    }
}
