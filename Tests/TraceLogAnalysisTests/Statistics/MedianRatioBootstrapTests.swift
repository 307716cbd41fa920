import Foundation
import Testing

@testable import TraceLogAnalysis

@Suite("Seeded bootstrap of the ratio of medians")
struct MedianRatioBootstrapTests {
    static let baseline: [Double] = [101, 97, 110, 94, 105, 99, 120, 103, 98, 102, 96, 108]
    static let candidate: [Double] = [151, 149, 160, 140, 155, 170, 148, 152, 158, 145, 150]

    @Test("the same samples and seed give the same interval, every time")
    func deterministic() throws {
        let first = try #require(
            MedianRatioBootstrap.interval(baseline: Self.baseline, candidate: Self.candidate, seed: 42))
        for _ in 0..<3 {
            let again = try #require(
                MedianRatioBootstrap.interval(baseline: Self.baseline, candidate: Self.candidate, seed: 42))
            #expect(again == first)
        }
        // Input order does not matter (the samples are sorted first).
        let shuffled = try #require(
            MedianRatioBootstrap.interval(
                baseline: Self.baseline.reversed(), candidate: Self.candidate.reversed(), seed: 42))
        #expect(shuffled == first)
        let otherSeed = try #require(
            MedianRatioBootstrap.interval(baseline: Self.baseline, candidate: Self.candidate, seed: 43))
        #expect(otherSeed != first, "the seed is used")
        // The point estimate, 151/102.5 ≈ 1.47, is inside; the interval is tight enough to exclude 1.
        #expect(first.low < 151 / 102.5 && 151 / 102.5 < first.high)
        #expect(first.low > 1.3 && first.high < 1.7)
    }

    @Test("for an odd n, drawn medians follow the closed form P(median* ≤ x(j)) = P(Bin(n, j/n) ≥ k)")
    func oddMedianDistribution() {
        let sample: [Double] = [1, 2, 3, 4, 5, 6, 7]
        let (n, k, draws) = (7, 4, 60_000)
        var generator = SeededGenerator(seed: 7)
        var counts = [Int](repeating: 0, count: n)
        for _ in 0..<draws { counts[Int(MedianRatioBootstrap.resampledMedian(sample, &generator)) - 1] += 1 }
        func binomialAtLeast(_ k: Int, _ p: Double) -> Double {
            (k...n).reduce(0) { total, i in
                total + exp(SpecialFunctions.logChoose(n, i)) * pow(p, Double(i)) * pow(1 - p, Double(n - i))
            }
        }
        for j in 1...n {
            let expected = binomialAtLeast(k, Double(j) / Double(n)) - binomialAtLeast(k, Double(j - 1) / Double(n))
            let observed = Double(counts[j - 1]) / Double(draws)
            let sigma = (expected * (1 - expected) / Double(draws)).squareRoot()
            #expect(abs(observed - expected) <= 5 * sigma + 1e-12, "x(\(j)): \(observed) vs \(expected)")
        }
    }

    @Test("for an even n, drawn medians match brute-force resampling")
    func evenMedianDistribution() {
        let sample: [Double] = [10, 20, 30, 40, 50, 60]
        let draws = 60_000
        var generator = SeededGenerator(seed: 11)
        var fast: [Double: Int] = [:]
        var brute: [Double: Int] = [:]
        for _ in 0..<draws {
            fast[MedianRatioBootstrap.resampledMedian(sample, &generator), default: 0] += 1
            let resample = (0..<sample.count).map { _ in sample[Int(generator.next() % UInt64(sample.count))] }
            brute[Descriptive.median(resample)!, default: 0] += 1
        }
        for value in Set(fast.keys).union(brute.keys) {
            let p = Double(fast[value] ?? 0) / Double(draws)
            let q = Double(brute[value] ?? 0) / Double(draws)
            let pooled = (p + q) / 2
            let sigma = (pooled * (1 - pooled) * 2 / Double(draws)).squareRoot()
            #expect(abs(p - q) <= 5 * sigma + 1e-4, "median \(value): \(p) vs \(q)")
        }
    }

    @Test("zero medians: 0/0 is 1, x/0 is +∞; identical samples give [1, 1]")
    func zeroMedians() throws {
        #expect(MedianRatioBootstrap.ratio(0, 0) == 1)
        #expect(MedianRatioBootstrap.ratio(3, 0) == .infinity)
        let same = try #require(MedianRatioBootstrap.interval(baseline: [5, 5, 5], candidate: [5, 5], seed: 1))
        #expect(same == (1, 1))
        let zeros = try #require(MedianRatioBootstrap.interval(baseline: [0, 0, 0, 1], candidate: [0, 1, 2], seed: 1))
        #expect(zeros.high == .infinity)
        #expect(MedianRatioBootstrap.interval(baseline: [], candidate: [1], seed: 1) == nil)
    }
}
