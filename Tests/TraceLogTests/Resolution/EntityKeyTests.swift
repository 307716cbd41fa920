import Testing
import TraceLogStorage

@testable import TraceLog

/// The hashed key: equal only for the same entity, whatever the hashes say.
@Suite struct EntityKeyTests {
    @Test func keysWhoseHashesCollideStayDistinct() {
        let first = EntityKey(EntityRef(type: .execution, id: "a"), hash: 42)
        let second = EntityKey(EntityRef(type: .execution, id: "b"), hash: 42)
        #expect(first != second)
        var table: [EntityKey: Int] = [first: 1]
        table[second] = 2
        #expect(table.count == 2 && table[first] == 1 && table[second] == 2)
        #expect(table[EntityKey(EntityRef(type: .execution, id: "a"), hash: 42)] == 1)
    }

    /// The resolver hands a key's hash to the log's index lookups: it must be the index's own key hash.
    @Test func aKeysHashIsTheIndexKeyHash() {
        let cases: [(EntityType, IndexKind)] = [
            (.execution, .execution), (.rule, .rule), (.triggerInstance, .triggerInstance),
        ]
        for (type, kind) in cases {
            let id = "6ae68100f74ef9765a482cdf-\(type)"
            #expect(EntityKey(EntityRef(type: type, id: id)).hash == KeyHash.hash(kind, id))
        }
    }

    @Test func theSameEntityHashesTheSameAndTypesAreToldApart() {
        let execution = EntityKey(EntityRef(type: .execution, id: "6ae68100f74ef9765a482cdf"))
        #expect(execution == EntityKey(EntityRef(type: .execution, id: "6ae68100f74ef9765a482cdf")))
        #expect(execution.hash == EntityKey(EntityRef(type: .execution, id: "6ae68100f74ef9765a482cdf")).hash)
        let trigger = EntityKey(EntityRef(type: .triggerInstance, id: "6ae68100f74ef9765a482cdf"))
        #expect(execution != trigger && execution.hash != trigger.hash)
    }

    @Test func aCacheKeepsCollidingEntitiesApart() {
        var cache = ResolutionCache(generationLimit: 8)
        let (one, two) = (TraceID.random(), TraceID.random())
        cache.introduce(EntityKey(EntityRef(type: .execution, id: "a"), hash: 7), in: one)
        cache.introduce(EntityKey(EntityRef(type: .execution, id: "b"), hash: 7), in: two)
        #expect(cache.trace(of: EntityKey(EntityRef(type: .execution, id: "a"), hash: 7)) == one)
        #expect(cache.trace(of: EntityKey(EntityRef(type: .execution, id: "b"), hash: 7)) == two)
        #expect(cache.trace(of: EntityKey(EntityRef(type: .execution, id: "c"), hash: 7)) == nil)
    }
}
