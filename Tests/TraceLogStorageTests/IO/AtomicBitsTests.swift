import Testing

@testable import TraceLogStorage

/// The lock-free memo behind block verification and prefetching: a bit is set once, and exactly one of the
/// threads that race to set it is told it was clear.
@Suite struct AtomicBitsTests {
    @Test func bitsAreSetOnceAndReadBackAcrossWords() {
        let bits = AtomicBits(count: 130)
        #expect(!bits.contains(0) && !bits.contains(129))
        #expect(bits.insert(129))
        #expect(!bits.insert(129))
        #expect(bits.insert(64))
        #expect(bits.contains(129) && bits.contains(64) && !bits.contains(65))
        #expect(bits.words == [0, 1, 2])
    }

    @Test func exactlyOneRacingInserterWins() async {
        let bits = AtomicBits(count: 4096)
        let wins = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<4096).reduce(0) { won, bit in won + (bits.insert(bit) ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(wins == 4096)
        #expect(bits.words.allSatisfy { $0 == .max })
    }
}
