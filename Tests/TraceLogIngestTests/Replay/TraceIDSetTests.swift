import Testing
import TraceLogStorage

@testable import TraceLogIngest

/// ReplayOrder's trace-id set answers as `Set<TraceID>` does, through growth, colliding homes, the all-zero id
/// and emptying.
@Suite struct TraceIDSetTests {
    @Test func answersAsASetDoesThroughGrowthAndEmptying() {
        var set = TraceIDSet()
        var reference: Set<TraceID> = []
        var generator = SystemRandomNumberGenerator()
        // Random ids, ids that share high ^ low (the same home slot), and the all-zero id.
        var ids = (0..<5000).map { _ in TraceID(high: generator.next(), low: generator.next()) }
        ids += (0..<300).map { TraceID(high: UInt64($0), low: UInt64($0)) }
        ids.append(TraceID(high: 0, low: 0))
        for id in ids + ids.prefix(100) {
            #expect(set.insert(id) == reference.insert(id).inserted)
        }
        #expect(set.count == reference.count)
        for id in ids { #expect(set.contains(id)) }
        for _ in 0..<1000 {
            let other = TraceID(high: generator.next(), low: generator.next())
            #expect(set.contains(other) == reference.contains(other))
        }
        set.removeAll()
        #expect(set.count == 0)
        #expect(!set.contains(ids[0]) && !set.contains(TraceID(high: 0, low: 0)))
        #expect(set.insert(ids[0]) && !set.insert(ids[0]))
    }
}
