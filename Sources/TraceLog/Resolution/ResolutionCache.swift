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
/// **A log that was empty.** When the log held no records as the session started, every entity in it was entered
/// here first, so an entity the cache does not know needs no index lookup (most of the events of a first import
/// introduce a new entity, and a lookup that finds nothing is the dearest): only the generations dropped so far
/// are asked, through a filter of their key hashes (``ForgottenEntities``).
///
/// Cost: O(1) per lookup and insertion, one 64-bit hash per table operation (see ``EntityKey``); memory about
/// 2 × `generationLimit` × ~100 bytes (the default keeps ~50 MB at most), plus 8 MB for the filter once a
/// generation of a log that was empty is dropped.
struct ResolutionCache: Sendable {
    /// Entries per generation.
    let generationLimit: Int
    private var youngEntities = EntityTable()
    private var oldEntities = EntityTable()
    private var youngTraces = TraceTable()
    private var oldTraces = TraceTable()
    /// Whether the log held no records when the cache was made: see "A log that was empty".
    let logWasEmpty: Bool
    /// The entities of the generations dropped so far, when ``logWasEmpty``.
    private var forgotten: ForgottenEntities?
    /// Entries introduced since the last ``commit()``, in order.
    private var pendingEntities: [(key: EntityKey, trace: TraceID)] = []
    private var pendingTraces: [TraceID] = []

    /// Called before a generation is dropped (the ingest session makes sure then that nothing the cache alone
    /// knows is still being written).
    var willForget: (@Sendable () -> Void)?

    /// The default generation size: 262,144 entries.
    static let defaultGenerationLimit = 1 << 18

    /// A cache; `logIsEmpty` says the log holds no record yet, and that every record written to it from now on
    /// is introduced here first (the cache is the writer's).
    init(generationLimit: Int = ResolutionCache.defaultGenerationLimit, logIsEmpty: Bool = false) {
        precondition(generationLimit > 0, "a cache generation needs room for one entry")
        self.generationLimit = generationLimit
        logWasEmpty = logIsEmpty
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

    /// Whether the log may hold an entity that ``trace(of:)-(EntityKey)`` does not know: false when the log was
    /// empty and no dropped generation may have held it (then no index lookup is needed).
    func mayBeInLog(_ key: EntityKey) -> Bool {
        guard logWasEmpty else { return true }
        return forgotten?.mayContain(key.hash) ?? false
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
        if logWasEmpty {
            if forgotten == nil { forgotten = ForgottenEntities() }
            oldEntities.forEachHash { forgotten?.insert($0) }
        }
        oldEntities = youngEntities
        youngEntities = EntityTable(capacity: generationLimit)
        // Pending entries of the dropped generation are not in the indexes yet: they stay.
        for (key, trace) in pendingEntities where oldEntities[key] == nil { youngEntities.set(trace, for: key) }
    }

    private mutating func rotateTraces() {
        willForget?()
        oldTraces = youngTraces
        youngTraces = TraceTable(capacity: generationLimit)
        for trace in pendingTraces where !oldTraces.contains(trace) { youngTraces.insert(trace) }
    }
}

/// A Bloom filter of the key hashes of the entities a ``ResolutionCache`` dropped: "not held" is certain, "maybe
/// held" is wrong for about 2% of other entities after 5 million entries (two bits per key out of 2^26).
///
/// The bits come from the index key hashes (``EntityKey/hash``), with no per-process seed: ids crafted to share bits only cost
/// index lookups, never a wrong answer.
struct ForgottenEntities: Sendable {
    private static let bitCount = 1 << 26
    private var words = [UInt64](repeating: 0, count: ForgottenEntities.bitCount / 64)

    private static func bits(_ hash: UInt64) -> (Int, Int) {
        let mask = UInt64(bitCount - 1)
        return (Int(truncatingIfNeeded: hash & mask), Int(truncatingIfNeeded: (hash >> 32) & mask))
    }

    mutating func insert(_ hash: UInt64) {
        let (first, second) = Self.bits(hash)
        words[first >> 6] |= 1 << UInt64(first & 63)
        words[second >> 6] |= 1 << UInt64(second & 63)
    }

    func mayContain(_ hash: UInt64) -> Bool {
        let (first, second) = Self.bits(hash)
        return words[first >> 6] & (1 << UInt64(first & 63)) != 0
            && words[second >> 6] & (1 << UInt64(second & 63)) != 0
    }
}
