import Testing
import TraceLogStorage

@testable import TraceLog

/// The resolution cache's set of traces answers as a `Set` would, through growth, removals and tombstones.
@Suite struct TraceTableTests {
    private func trace(_ number: UInt64) -> TraceID { TraceID(high: number % 3, low: number &* 0x9E37_79B9 | 1) }

    @Test func insertContainsRemove() {
        var table = TraceTable(capacity: 2)
        let (first, second) = (trace(1), trace(2))
        #expect(!table.contains(first))
        table.insert(first)
        table.insert(first)
        table.insert(second)
        #expect(table.contains(first) && table.contains(second) && table.count == 2)
        table.remove(first)
        #expect(!table.contains(first) && table.contains(second) && table.count == 1)
        table.remove(first)
        #expect(table.count == 1)
    }

    @Test func randomOperationsAnswerAsASet() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
        var table = TraceTable(capacity: 4)
        var model: Set<TraceID> = []
        for step in 0..<50_000 {
            let id = trace(next() % 3_000)
            if next() % 3 == 0 {
                table.remove(id)
                model.remove(id)
            } else {
                table.insert(id)
                model.insert(id)
            }
            if step % 1_009 == 0 {
                #expect(table.count == model.count)
                for id in model { #expect(table.contains(id)) }
            }
        }
        for number in 0..<3_000 as Range<UInt64> {
            #expect(table.contains(trace(number)) == model.contains(trace(number)))
        }
    }
}
