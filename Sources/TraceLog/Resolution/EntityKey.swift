import TraceLogStorage

/// An entity reference with its hash computed once, the key of every table trace resolution keeps.
///
/// Resolving one event looks its entity and its cause up in several tables (the pending trigger records, two
/// cache generations) and inserts the entity; hashing the `String` id with SipHash each time was most of the
/// resolver's cost. The key hashes the id's bytes once (``TraceLogStorage/KeyHash``, a multiply-xorshift hash,
/// about 3 instructions per byte), which is also the log's index key hash, so index lookups reuse it; the cache's
/// tables (``EntityTable``) mix those 64 bits with a per-process random seed, so crafted ids cannot aim at one
/// probe run without a full 64-bit collision.
///
/// Equality compares the hashes first and then the whole reference: two entities whose hashes collide are
/// still two keys.
struct EntityKey: Hashable, Sendable {
    /// The entity.
    let ref: EntityRef
    /// The hash of its type and id: the same as the log's index key hash for its type, so index lookups reuse it.
    let hash: UInt64

    /// Hashes `ref` (cost: one pass over its id's bytes).
    init(_ ref: EntityRef) {
        self.init(ref, hash: KeyHash.hash(Self.kind(of: ref.type), ref.id))
    }

    /// A key with a given hash, for tests of collisions.
    init(_ ref: EntityRef, hash: UInt64) {
        self.ref = ref
        self.hash = hash
    }

    static func == (lhs: EntityKey, rhs: EntityKey) -> Bool {
        lhs.hash == rhs.hash && lhs.ref == rhs.ref
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// The index kind whose hash seeds an entity type's (any distinct seed per type would do).
    private static func kind(of type: EntityType) -> IndexKind {
        switch type {
        case .triggerInstance: .triggerInstance
        case .rule: .rule
        case .execution: .execution
        case .trace: .traceID
        }
    }
}
