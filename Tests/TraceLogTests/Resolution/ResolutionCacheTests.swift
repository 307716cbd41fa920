import Testing
import TraceLogStorage

@testable import TraceLog

/// The resolution cache is bounded and keeps what was seen recently.
@Suite struct ResolutionCacheTests {
    @Test func itNeverHoldsMoreThanTwoGenerations() {
        var cache = ResolutionCache(generationLimit: 100)
        let trace = TraceID.random()
        for index in 0..<10_000 {
            cache.remember(EntityRef(type: .execution, id: "ex-\(index)"), in: trace)
            cache.remember(trace: TraceID.random())
            #expect(cache.count <= 400)
        }
    }

    @Test func theLastGenerationLimitEntriesAreAlwaysFound() {
        var cache = ResolutionCache(generationLimit: 100)
        let trace = TraceID.random()
        for index in 0..<1_000 { cache.remember(EntityRef(type: .execution, id: "ex-\(index)"), in: trace) }
        for index in 900..<1_000 { #expect(cache.trace(of: EntityRef(type: .execution, id: "ex-\(index)")) == trace) }
        #expect(cache.trace(of: EntityRef(type: .execution, id: "ex-0")) == nil)
    }

    @Test func aHitInTheOldGenerationIsKept() {
        var cache = ResolutionCache(generationLimit: 10)
        let trace = TraceID.random()
        let hot = EntityRef(type: .triggerInstance, id: "hot")
        cache.remember(hot, in: trace)
        for round in 0..<100 {
            cache.remember(EntityRef(type: .execution, id: "ex-\(round)"), in: trace)
            #expect(cache.trace(of: hot) == trace, "round \(round)")
        }
    }
}
