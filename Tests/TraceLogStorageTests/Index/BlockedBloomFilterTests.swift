import Testing

@testable import TraceLogStorage

/// The blocked Bloom filter behind the index files' key filter: no false negatives, the documented false-positive
/// rate and size, the same bytes for the same keys, and one 32-byte block per query.
@Suite struct BlockedBloomFilterTests {
    /// splitmix64: well-spread, reproducible keys.
    private static func keys(_ count: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    @Test(arguments: [0, 1, 2, 3, 10, 100, 1000, 50_000])
    func everyKeyPasses(count: Int) {
        let keys = Self.keys(count, seed: UInt64(count))
        let filter = BlockedBloomFilter(keys: keys)
        #expect(keys.allSatisfy(filter.mayContain))
        #expect(filter.bytes.count == filter.blockCount * BlockedBloomFilter.blockBytes)
        if count == 0 { #expect(filter.bytes.isEmpty && !filter.mayContain(42)) }
    }

    @Test func duplicatesAndSmallKeysAreFine() {
        let keys: [UInt64] = [0, 1, 1, 2, 2, 2, 3, UInt64.max, UInt64.max]
        let filter = BlockedBloomFilter(keys: keys)
        #expect(keys.allSatisfy(filter.mayContain))
    }

    /// The kind-and-stored-hash keys of the index files share their high bits: they must spread over the blocks
    /// like random keys do.
    @Test(arguments: [false, true])
    func falsePositiveRateAndSizeAreAsDocumented(indexLikeKeys: Bool) {
        let count = 200_000
        let keys =
            indexLikeKeys
            ? Self.keys(count, seed: 1).map {
                KeyFilterSection.key(UInt8($0 % 5), storedHash: UInt32(truncatingIfNeeded: $0 >> 20))
            }
            : Self.keys(count, seed: 1)
        let filter = BlockedBloomFilter(keys: keys)
        let absent = Self.keys(400_000, seed: 2).map {
            indexLikeKeys ? KeyFilterSection.key(UInt8($0 % 5), storedHash: UInt32(truncatingIfNeeded: $0 >> 20)) : $0
        }
        let passed = absent.filter(filter.mayContain).count
        let rate = Double(passed) / Double(absent.count)
        // About 0.5% at 12 bits per key; a broken hash or block choice shows as several times that.
        #expect(rate > 0.003 && rate < 0.007, "false-positive rate \(rate)")
        let bytesPerKey = Double(filter.bytes.count) / Double(keys.count)
        #expect(bytesPerKey <= 1.51, "\(bytesPerKey) bytes per key")
    }

    @Test func theSameKeysGiveTheSameBytes() {
        let keys = Self.keys(5000, seed: 9)
        #expect(BlockedBloomFilter(keys: keys) == BlockedBloomFilter(keys: keys.reversed()))
    }

    @Test func aKeySetsEightBitsInOneBlockAndAQueryReadsOnlyThatBlock() {
        let keys = Self.keys(1000, seed: 3)
        let filter = BlockedBloomFilter(keys: keys)
        for key in keys.prefix(100) {
            let hash = BlockedBloomFilter.hash(key)
            let block = BlockedBloomFilter.block(hash, blockCount: filter.blockCount)
            #expect(block >= 0 && block < filter.blockCount)
            // Clearing any other block leaves the key in; clearing one of its bits takes it out.
            var others = filter
            for index in others.bytes.indices where index / BlockedBloomFilter.blockBytes != block {
                others.bytes[index] = 0
            }
            #expect(others.mayContain(key))
            var cleared = filter
            let bit = BlockedBloomFilter.mask(hash, word: 5)
            let word = block * BlockedBloomFilter.blockBytes + 5 * 4
            for byte in 0..<4 { cleared.bytes[word + byte] &= ~UInt8(truncatingIfNeeded: bit >> (8 * byte)) }
            #expect(!cleared.mayContain(key))
        }
    }
}
