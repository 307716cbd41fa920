import Testing
import TraceLogStorage

@testable import TraceLog

/// The resolution cache's open-addressing table answers as a `Dictionary` would, whatever the hashes and removals.
@Suite struct EntityTableTests {
    private func key(_ number: Int, hash: UInt64? = nil) -> EntityKey {
        let ref = EntityRef(type: number % 3 == 0 ? .execution : .triggerInstance, id: "entity-\(number)")
        return hash.map { EntityKey(ref, hash: $0) } ?? EntityKey(ref)
    }

    private func trace(_ number: Int) -> TraceID { TraceID(high: 1, low: UInt64(number) + 1) }

    @Test func entitiesWhoseHashesCollideStayTwoKeys() {
        var table = EntityTable(capacity: 4)
        let (first, second) = (key(1, hash: 99), key(2, hash: 99))
        table.set(trace(1), for: first)
        table.set(trace(2), for: second)
        #expect(table[first] == trace(1) && table[second] == trace(2) && table.count == 2)
        table.remove(first)
        #expect(table[first] == nil && table[second] == trace(2), "a tombstone keeps the probe run")
        table.set(trace(3), for: first)
        #expect(table[first] == trace(3) && table.count == 2)
    }

    /// Ids are compared byte by byte, eight at a time then the tail: ids of every length up to three words, equal
    /// but for one byte anywhere, stay two keys when their hashes collide.
    @Test func idsThatDifferInOneByteStayTwoKeys() {
        for length in 1...24 {
            let base = String(repeating: "a", count: length)
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "b")
                let other = String(decoding: bytes, as: UTF8.self)
                var table = EntityTable(capacity: 4)
                let first = EntityKey(EntityRef(type: .execution, id: base), hash: 7)
                let second = EntityKey(EntityRef(type: .execution, id: other), hash: 7)
                table.set(trace(1), for: first)
                #expect(table[second] == nil, "length \(length), byte \(position)")
                table.set(trace(2), for: second)
                #expect(table[first] == trace(1) && table[second] == trace(2) && table.count == 2)
            }
        }
        var table = EntityTable(capacity: 4)
        table.set(trace(1), for: EntityKey(EntityRef(type: .execution, id: "same"), hash: 7))
        #expect(table[EntityKey(EntityRef(type: .rule, id: "same"), hash: 7)] == nil, "another type")
        #expect(table[EntityKey(EntityRef(type: .execution, id: "same-but-longer"), hash: 7)] == nil)
        #expect(table[EntityKey(EntityRef(type: .execution, id: "same"), hash: 7)] == trace(1))
    }

    @Test func randomOperationsAnswerAsADictionary() {
        var generator = SplitMix(seed: 7)
        var table = EntityTable(capacity: 8)
        var model: [EntityKey: TraceID] = [:]
        for step in 0..<60_000 {
            // Few distinct hashes among many ids, so probe runs, collisions and tombstones are common.
            let number = Int(generator.next() % 5_000)
            let entity = key(number, hash: generator.next() % 4 == 0 ? UInt64(number % 37) : nil)
            switch generator.next() % 4 {
            case 0:
                table.remove(entity)
                model[entity] = nil
            default:
                table.set(trace(step), for: entity)
                model[entity] = trace(step)
            }
            if step % 997 == 0 {
                #expect(table.count == model.count)
                for (key, value) in model { #expect(table[key] == value) }
            }
        }
        for number in 0..<5_000 { #expect(table[key(number)] == model[key(number)]) }
    }
}

/// A small deterministic generator for the test's random operations.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
