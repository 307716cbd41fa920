import Testing

@testable import TraceLogStorage

/// The binary fuse filter behind the index files' key filter: no false negatives, the documented false-positive
/// rate and size, and the same bytes for the same keys.
@Suite struct BinaryFuseFilterTests {
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
        let filter = BinaryFuseFilter(keys: keys)
        #expect(keys.allSatisfy(filter.mayContain))
        if count == 0 { #expect(filter.fingerprints.isEmpty && !filter.mayContain(42)) }
    }

    @Test func duplicatesAndSmallKeysAreFine() {
        let keys: [UInt64] = [0, 1, 1, 2, 2, 2, 3, UInt64.max, UInt64.max]
        let filter = BinaryFuseFilter(keys: keys)
        #expect(keys.allSatisfy(filter.mayContain))
    }

    @Test func falsePositiveRateAndSizeAreAsDocumented() {
        let keys = Self.keys(200_000, seed: 1)
        let filter = BinaryFuseFilter(keys: keys)
        let absent = Self.keys(400_000, seed: 2)
        let passed = absent.filter(filter.mayContain).count
        let rate = Double(passed) / Double(absent.count)
        // 2^-8 = 0.39%; 400,000 trials put the measured rate within a few hundredths of a percent of it.
        #expect(rate > 0.0030 && rate < 0.0048, "false-positive rate \(rate)")
        let bytesPerKey = Double(filter.fingerprints.count) / Double(keys.count)
        #expect(bytesPerKey < 1.2, "\(bytesPerKey) bytes per key")
    }

    @Test func theSameKeysGiveTheSameBytes() {
        let keys = Self.keys(5000, seed: 9)
        #expect(BinaryFuseFilter(keys: keys) == BinaryFuseFilter(keys: keys.reversed()))
    }

    @Test func aQueryReadsOneWindowOfThreeSegments() {
        let keys = Self.keys(100_000, seed: 3)
        let filter = BinaryFuseFilter(keys: keys)
        let parameters = filter.parameters
        for key in keys.prefix(1000) {
            let window = parameters.window(key)
            let (first, second, third) = parameters.cells(BinaryFuseFilter.hash(key, seed: parameters.seed))
            #expect(window.contains(first) && window.contains(second) && window.contains(third))
            #expect(window.count == 3 * parameters.segmentLength && window.upperBound <= parameters.arrayLength)
        }
    }
}
