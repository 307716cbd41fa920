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

    @Test func rollbackTakesOutWhatWasIntroducedAfterTheMark() {
        var cache = ResolutionCache(generationLimit: 100)
        let trace = TraceID.random()
        let known = EntityRef(type: .execution, id: "known")
        cache.remember(known, in: trace)
        cache.introduce(EntityKey(EntityRef(type: .execution, id: "kept")), in: trace)
        let mark = cache.mark
        let newTrace = TraceID.random()
        cache.introduce(trace: newTrace)
        cache.introduce(EntityKey(EntityRef(type: .execution, id: "dropped")), in: newTrace)
        cache.rollback(to: mark)
        #expect(cache.trace(of: EntityRef(type: .execution, id: "dropped")) == nil)
        let knowsNewTrace = cache.knows(trace: newTrace)
        #expect(!knowsNewTrace)
        #expect(cache.trace(of: EntityRef(type: .execution, id: "kept")) == trace)
        #expect(cache.trace(of: known) == trace)
        #expect(cache.pendingCount == 1)
    }

    /// The indexes do not know a pending entity yet, so dropping a generation must not forget it.
    @Test func pendingEntriesOutliveTheGenerationTheyWereIn() {
        var cache = ResolutionCache(generationLimit: 4)
        let trace = TraceID.random()
        let pending = EntityKey(EntityRef(type: .execution, id: "pending"))
        cache.introduce(pending, in: trace)
        cache.introduce(trace: trace)
        for index in 0..<50 {
            cache.remember(EntityRef(type: .execution, id: "other-\(index)"), in: TraceID.random())
            cache.remember(trace: TraceID.random())
        }
        // Looked up only now (a lookup would promote it and hide the rule): 50 insertions dropped ~12 generations.
        #expect(cache.trace(of: pending) == trace)
        let knowsTrace = cache.knows(trace: trace)
        #expect(knowsTrace)
        // Rolled back after rotations, it is gone from both generations.
        cache.rollback(to: ResolutionCache.Mark())
        let (found, known) = (cache.trace(of: pending), cache.knows(trace: trace))
        #expect(found == nil && !known)
    }

    @Test func committedEntriesAreForgottenLikeAnyOther() {
        var cache = ResolutionCache(generationLimit: 4)
        let pending = EntityKey(EntityRef(type: .execution, id: "pending"))
        cache.introduce(pending, in: TraceID.random())
        cache.commit()
        #expect(cache.pendingCount == 0)
        for index in 0..<10 { cache.remember(EntityRef(type: .execution, id: "other-\(index)"), in: TraceID.random()) }
        #expect(cache.trace(of: pending) == nil)
    }

    /// A log that was empty gets every entity through the cache: what it never held needs no index lookup, and
    /// what a dropped generation held still does.
    @Test func anEmptyLogIsAskedOnlyAboutEntitiesTheCacheDropped() {
        var cache = ResolutionCache(generationLimit: 4, logIsEmpty: true)
        let first = EntityKey(EntityRef(type: .execution, id: "first"))
        let never = EntityKey(EntityRef(type: .execution, id: "never-seen"))
        #expect(!cache.mayBeInLog(first) && !cache.mayBeInLog(never))
        cache.introduce(first, in: TraceID.random())
        cache.commit()
        for index in 0..<20 {
            cache.introduce(EntityKey(EntityRef(type: .execution, id: "other-\(index)")), in: TraceID.random())
            cache.commit()
        }
        #expect(cache.trace(of: first) == nil, "dropped with its generation")
        #expect(cache.mayBeInLog(first), "so the indexes are asked")
        #expect(!cache.mayBeInLog(never))
    }

    @Test func aLogThatHeldRecordsIsAlwaysAsked() {
        let cache = ResolutionCache(generationLimit: 4)
        #expect(cache.mayBeInLog(EntityKey(EntityRef(type: .execution, id: "anything"))))
    }
}
