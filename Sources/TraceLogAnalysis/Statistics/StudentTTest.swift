/// Student's two-sample t-test with pooled variance, two-sided (Student, 1908): the significance test of a
/// change point, as Apache Otava and the Hunter paper use in place of E-Divisive's permutation test.
///
/// t = (mean₁ − mean₂) / (s_p · √(1/n₁ + 1/n₂)) with s_p² = ((n₁−1)s₁² + (n₂−1)s₂²) / (n₁ + n₂ − 2) and sample
/// variances s²; p = P(|T| ≥ |t|) for T ~ t(n₁ + n₂ − 2). Agrees with `scipy.stats.ttest_ind(x, y)`. When both
/// sides have no spread, the means decide: equal gives p = 1, different gives p = 0 (t is infinite). With fewer
/// than 3 values in all there are no degrees of freedom and p = 1. O(n).
public enum StudentTTest {
    /// The outcome of a test.
    public struct Result: Hashable, Sendable {
        /// The t statistic (first sample minus second).
        public var t: Double
        /// n₁ + n₂ − 2.
        public var degreesOfFreedom: Int
        /// The two-sided p-value.
        public var pValue: Double
    }

    /// Tests `x` against `y` (both non-empty).
    public static func test(_ x: some Collection<Double>, _ y: some Collection<Double>) -> Result {
        let (n1, n2) = (Double(x.count), Double(y.count))
        let degrees = x.count + y.count - 2
        guard degrees > 0, !x.isEmpty, !y.isEmpty else {
            return Result(t: 0, degreesOfFreedom: max(degrees, 0), pValue: 1)
        }
        let mean1 = x.reduce(0, +) / n1
        let mean2 = y.reduce(0, +) / n2
        let squares1 = x.reduce(0) { $0 + ($1 - mean1) * ($1 - mean1) }
        let squares2 = y.reduce(0) { $0 + ($1 - mean2) * ($1 - mean2) }
        let pooled = (squares1 + squares2) / Double(degrees)
        let standardError = (pooled * (1 / n1 + 1 / n2)).squareRoot()
        if standardError == 0 {
            return mean1 == mean2
                ? Result(t: 0, degreesOfFreedom: degrees, pValue: 1)
                : Result(t: mean1 > mean2 ? .infinity : -.infinity, degreesOfFreedom: degrees, pValue: 0)
        }
        let t = (mean1 - mean2) / standardError
        return Result(
            t: t, degreesOfFreedom: degrees,
            pValue: SpecialFunctions.studentTTwoSided(t, degreesOfFreedom: Double(degrees)))
    }
}
