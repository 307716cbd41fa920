/// The thresholds of `tracelog compare`.
public struct ComparisonOptions: Hashable, Sendable {
    /// The family-wise significance level of each family of tests (durations, failure rates): 0.01.
    public var alpha: Double
    /// The smallest change that matters: a duration ratio at least this far from 1 (0.05: 5% slower or faster),
    /// or a failure rate at least this many absolute points away (0.05: 5 percentage points).
    public var minEffect: Double
    /// Bootstrap replicates of the ratio-of-medians interval.
    public var bootstrapResamples: Int
    /// The bootstrap seed (mixed with each node's name, so a node's interval does not depend on the others).
    public var seed: UInt64

    /// The two-sided confidence level of the intervals.
    public static let confidenceLevel = 0.95
    /// A run set with fewer runs than this gets a warning: its verdicts are nearly always `unknown`.
    public static let smallSetRuns = 5

    /// Creates options; the defaults are the documented ones.
    public init(
        alpha: Double = 0.01, minEffect: Double = 0.05, bootstrapResamples: Int = 4000,
        seed: UInt64 = 0x5452_4143_454C_4F47
    ) {
        self.alpha = alpha
        self.minEffect = minEffect
        self.bootstrapResamples = bootstrapResamples
        self.seed = seed
    }

    /// Checks the ranges: 0 < alpha < 1, 0 ≤ min effect (finite), at least 100 replicates.
    public func validated() throws(AnalysisError) -> ComparisonOptions {
        guard alpha > 0, alpha < 1 else {
            throw .invalidOption("alpha", reason: "expected 0 < alpha < 1, got \(alpha)")
        }
        guard minEffect >= 0, minEffect.isFinite else {
            throw .invalidOption("min-effect", reason: "expected a number ≥ 0, got \(minEffect)")
        }
        guard bootstrapResamples >= 100 else {
            throw .invalidOption("bootstrap resamples", reason: "expected at least 100, got \(bootstrapResamples)")
        }
        return self
    }
}
