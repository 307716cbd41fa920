import Testing

@testable import TraceLogStorage

/// The in-memory index's postings as an index file stores them: ``MemoryIndex/storedPostings(_:)`` radix-sorts
/// packed postings by stored hash and relies on that sort being stable, so it is checked here against the straightforward
/// version (every added pair mapped to its stored hash, sorted, duplicates dropped) on random postings with
/// stored-hash collisions, exact duplicates and keys of every kind.
@Suite struct MemoryIndexTests {
    /// A reproducible generator (splitmix64).
    private struct Random {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// The straightforward stored postings of `pairs`: mapped to stored hashes, sorted, without duplicates.
    private static func expected(_ pairs: [(UInt64, UInt64)]) -> [(UInt32, UInt64)] {
        var stored = pairs.map { (SegmentIndexFile.storedHash($0.0), $0.1) }
        stored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var unique: [(UInt32, UInt64)] = []
        for pair in stored where unique.last.map({ $0 != pair }) ?? true { unique.append(pair) }
        return unique
    }

    private static func same(_ left: [(UInt32, UInt64)], _ right: [(UInt32, UInt64)]) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { $0 == $1 }
    }

    /// Keys drawn from a few high halves (so many keys share a stored hash) and a few low halves (so the same
    /// key recurs), records in sequence order with up to three keys each, sometimes the same key twice. The last
    /// case's sequence numbers cross 2³² (a key's last posting is recognised by the low 32 bits of its sequence
    /// number).
    @Test(arguments: [
        (1, 10, 1_000), (2, 1_000, 1_000), (3, 20_000, 1_000), (4, 20_000, 1_000), (5, 5_000, 0xFFFF_F000),
    ])
    func storedPostingsMatchTheStraightforwardVersion(seed: UInt64, records: Int, start: UInt64) {
        var random = Random(state: seed)
        let highs = (0..<max(4, records / 50)).map { _ in random.next() & 0xFFFF_FFFF_0000_0000 }
        let lows = (0..<8).map { _ in random.next() & 0xFFFF_FFFF }
        var index = MemoryIndex()
        var added: [IndexKind: [(UInt64, UInt64)]] = [:]
        var seq = start
        for _ in 0..<records {
            seq += UInt64(1 + random.below(3))
            for _ in 0..<(1 + random.below(3)) {
                let kind = IndexKind.allCases[random.below(IndexKind.allCases.count)]
                let hash = highs[random.below(highs.count)] | lows[random.below(lows.count)]
                let times = random.below(5) == 0 ? 2 : 1
                for _ in 0..<times {
                    index.addPosting(kind, hash: hash, seq: seq)
                    added[kind, default: []].append((hash, seq))
                }
            }
        }
        for kind in IndexKind.allCases {
            let actual = index.storedPostings(kind)
            let wanted = Self.expected(added[kind] ?? [])
            #expect(Self.same(actual, wanted), "kind \(kind): \(actual.count) postings, expected \(wanted.count)")
            // A key's candidates: each sequence number it was added with, once (a repeat is dropped), ascending.
            var byKey: [UInt64: Set<UInt64>] = [:]
            for (hash, seq) in added[kind] ?? [] { byKey[hash, default: []].insert(seq) }
            for (hash, seqs) in byKey {
                #expect(index.seqs(kind, hash: hash) == seqs.sorted(), "kind \(kind), key \(hash)")
            }
        }
    }

    /// The radix sort of chain heads by stored hash: a permutation of its input, ordered by the high halves,
    /// below and above the size where it hands over to the standard sort.
    @Test(arguments: [0, 1, 200, 257, 5_000, 100_000])
    func sortByHighHalfOrdersByTheHighHalf(count: Int) {
        var random = Random(state: UInt64(count))
        let highs = (0..<max(1, count / 3)).map { _ in random.next() & 0xFFFF_FFFF_0000_0000 }
        let keys = (0..<count).map { _ in highs[random.below(highs.count)] | (random.next() & 0xFFFF_FFFF) }
        var sorted = keys
        MemoryIndex.sortByHighHalf(&sorted)
        #expect(sorted.sorted() == keys.sorted())
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0 >> 32 <= $1 >> 32 })
    }

    /// Keys whose low halves arrive ascending come out sorted whole: the radix sort keeps the order of keys with
    /// equal high halves, which is what orders each stored hash's postings by sequence number.
    @Test(arguments: [200, 257, 5_000, 100_000])
    func sortByHighHalfIsStable(count: Int) {
        var random = Random(state: UInt64(count) &+ 17)
        let highs = (0..<max(1, count / 50)).map { _ in random.next() & 0xFFFF_FFFF_0000_0000 }
        let keys = (0..<count).map { highs[random.below(highs.count)] | UInt64($0) }
        var sorted = keys
        MemoryIndex.sortByHighHalf(&sorted)
        #expect(sorted == keys.sorted())
    }

    /// Hashes 0 and 1 share a table slot (0 marks an empty slot), and sequence numbers that go backwards (never
    /// the case when records are indexed in order) still come out sorted and unique.
    @Test func edgeCasesComeOutSortedAndUnique() {
        var index = MemoryIndex()
        let pairs: [(UInt64, UInt64)] = [
            (0, 5), (1, 5), (0, 7), (1 << 32, 3), (1 << 32 | 9, 3), (1 << 32, 2), (UInt64.max, 1), (UInt64.max, 1),
            (1 << 32, 9), (1 << 32 | 9, 8),
        ]
        for (hash, seq) in pairs { index.addPosting(.execution, hash: hash, seq: seq) }
        #expect(Self.same(index.storedPostings(.execution), Self.expected(pairs)))
        #expect(index.storedPostings(.tag).isEmpty)
    }
}
