import RealModule

/// Fisher's exact test of a 2×2 table, two-sided: are the rates of two groups different?
///
/// Fisher (1935), *The Design of Experiments*; the two-sided p-value is the sum of the hypergeometric
/// probabilities of every table with the same margins that is no more likely than the observed one (with a
/// relative tolerance of 1e-7 for ties in probability, as R's `fisher.test`), which agrees with
/// `scipy.stats.fisher_exact(table, alternative="two-sided")` (checked against reference values in the tests).
///
/// Cost: O(min(row, column margin)) log-gamma evaluations. A table with a zero margin, or whose margins allow
/// only one table (no failures at all, or only failures), is *degenerate*: p = 1 and no other outcome was
/// possible, so ``Result/isDegenerate`` lets a caller leave it out of a multiple-testing family (Tarone, 1990,
/// "A modified Bonferroni method for discrete data").
public enum FisherExact {
    /// The outcome of a test.
    public struct Result: Hashable, Sendable {
        /// The two-sided p-value.
        public var pValue: Double
        /// Whether the margins admit a single table (the test cannot reject).
        public var isDegenerate: Bool
    }

    /// Tests the table `[[a, b], [c, d]]` (all counts ≥ 0): for instance failures and successes of a candidate
    /// (a, b) against those of a baseline (c, d).
    public static func test(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Result {
        precondition(a >= 0 && b >= 0 && c >= 0 && d >= 0, "counts must be non-negative")
        let (row1, row2, column1) = (a + b, c + d, a + c)
        let total = row1 + row2
        let low = max(0, column1 - row2)
        let high = min(row1, column1)
        if low == high { return Result(pValue: 1, isDegenerate: true) }
        let logDenominator = SpecialFunctions.logChoose(total, column1)
        func logProbability(_ x: Int) -> Double {
            SpecialFunctions.logChoose(row1, x) + SpecialFunctions.logChoose(row2, column1 - x) - logDenominator
        }
        let observed = logProbability(a)
        let threshold = observed + 1e-7  // ln(1 + 1e-7) ≈ 1e-7
        var p = 0.0
        for x in low...high {
            let logP = logProbability(x)
            if logP <= threshold { p += Double.exp(logP) }
        }
        return Result(pValue: min(p, 1), isDegenerate: false)
    }
}
