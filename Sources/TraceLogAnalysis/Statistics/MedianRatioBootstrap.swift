import RealModule

/// A seeded percentile-bootstrap confidence interval for the ratio of two medians, candidate ÷ baseline
/// (Efron and Tibshirani, 1993, *An Introduction to the Bootstrap*, ch. 13): each replicate resamples both
/// samples with replacement, independently, and takes the ratio of their medians; the interval is the
/// (1 − level)/2 and (1 + level)/2 percentiles of the replicates.
///
/// **How a replicate's median is drawn.** Resampling n values and selecting their median costs O(n) per
/// replicate; this draws the same quantity in O(1) instead. A resample of a sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎ is
/// x at indices ⌈n·U₁⌉, …, ⌈n·Uₙ⌉ for iid uniform Uᵢ, and ⌈n·u⌉ is non-decreasing in u, so the resample's
/// k-th smallest value is x at index ⌈n·U₍ₖ₎⌉ where U₍ₖ₎ is the k-th order statistic of n uniforms, which is
/// Beta(k, n − k + 1) (David and Nagaraja, 2003, *Order Statistics*, §2.2). For an even n the median also
/// needs U₍ₖ₊₁₎, which given U₍ₖ₎ is the minimum of n − k uniforms on (U₍ₖ₎, 1):
/// U₍ₖ₊₁₎ = U₍ₖ₎ + (1 − U₍ₖ₎)(1 − V^(1/(n−k))). The replicates therefore follow the bootstrap distribution of
/// the median exactly (the tests compare them with brute-force resampling and with the closed form
/// P(median* ≤ x₍ⱼ₎) = P(Binomial(n, j/n) ≥ k) for odd n), at O(1) per replicate whatever n is.
///
/// **Determinism.** The generator is ``SeededGenerator`` seeded with `seed`: the same samples, resample count
/// and seed always give the same interval.
///
/// **Zero medians.** Durations can be 0: a ratio 0/0 counts as 1 and x/0 (x > 0) as +∞, so an interval may end
/// at +∞. Cost: O(resamples · log resamples) plus sorting the samples.
public enum MedianRatioBootstrap {
    /// The interval for median(candidate) / median(baseline); nil when either sample is empty.
    public static func interval(
        baseline: [Double], candidate: [Double], level: Double = 0.95, resamples: Int = 4000, seed: UInt64
    ) -> (low: Double, high: Double)? {
        guard !baseline.isEmpty, !candidate.isEmpty, resamples > 0 else { return nil }
        let (sortedBaseline, sortedCandidate) = (baseline.sorted(), candidate.sorted())
        var generator = SeededGenerator(seed: seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let b = resampledMedian(sortedBaseline, &generator)
            let c = resampledMedian(sortedCandidate, &generator)
            ratios.append(ratio(c, b))
        }
        ratios.sort()
        let tail = (1 - level) / 2
        guard let low = Descriptive.percentileOfSorted(ratios, tail),
            let high = Descriptive.percentileOfSorted(ratios, 1 - tail)
        else { return nil }
        return (low, high)
    }

    /// candidate ÷ baseline with 0/0 = 1 and x/0 = +∞.
    public static func ratio(_ candidate: Double, _ baseline: Double) -> Double {
        if baseline == 0 { return candidate == 0 ? 1 : .infinity }
        return candidate / baseline
    }

    /// The median of one with-replacement resample of `sorted`, drawn through the order statistics of uniforms.
    static func resampledMedian(_ sorted: [Double], _ generator: inout SeededGenerator) -> Double {
        let n = sorted.count
        func value(at u: Double) -> Double {
            sorted[min(n - 1, max(0, Int((Double(n) * u).rounded(.up)) - 1))]
        }
        if n % 2 == 1 {
            let k = (n + 1) / 2
            return value(at: generator.nextBeta(Double(k), Double(n - k + 1)))
        }
        let k = n / 2
        let lower = generator.nextBeta(Double(k), Double(n - k + 1))
        let v = 1 - generator.nextUniform()  // (0, 1]
        let upper = lower + (1 - lower) * (1 - Double.pow(v, 1 / Double(n - k)))
        return (value(at: lower) + value(at: upper)) / 2
    }
}
