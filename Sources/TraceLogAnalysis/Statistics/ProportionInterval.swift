/// Confidence intervals for rates: Wilson's score interval for one proportion (Wilson, 1927, "Probable
/// inference, the law of succession, and statistical inference") and Newcombe's hybrid score interval for the
/// difference of two independent proportions (Newcombe, 1998, "Interval estimation for the difference between
/// independent proportions: comparison of eleven methods", method 10).
///
/// Both behave well at rates of 0 and 1, where the textbook Wald interval collapses to a point; Wilson's agrees
/// with `scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`. O(1).
public enum ProportionInterval {
    /// Wilson's score interval for `successes` out of `trials` (> 0) at the two-sided level whose normal quantile
    /// is `z` (1.96 for 95%).
    public static func wilson(successes: Int, trials: Int, z: Double = SpecialFunctions.normalQuantile975)
        -> (low: Double, high: Double)
    {
        precondition(trials > 0 && successes >= 0 && successes <= trials)
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let low = successes == 0 ? 0 : max(0, center - half)
        let high = successes == trials ? 1 : min(1, center + half)
        return (low, high)
    }

    /// Newcombe's interval for p₂ − p₁, the difference of the rates `x2 / n2` and `x1 / n1`.
    public static func newcombeDifference(
        x1: Int, n1: Int, x2: Int, n2: Int, z: Double = SpecialFunctions.normalQuantile975
    ) -> (low: Double, high: Double) {
        let (p1, p2) = (Double(x1) / Double(n1), Double(x2) / Double(n2))
        let (l1, u1) = wilson(successes: x1, trials: n1, z: z)
        let (l2, u2) = wilson(successes: x2, trials: n2, z: z)
        let delta = p2 - p1
        let low = delta - ((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1)).squareRoot()
        let high = delta + ((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1)).squareRoot()
        return (low, high)
    }
}
