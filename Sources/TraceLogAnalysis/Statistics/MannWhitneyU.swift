import RealModule

/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum test) of two independent samples: do values of one
/// sample tend to be larger than values of the other?
///
/// Follows Mann and Whitney (1947), "On a test of whether one of two random variables is stochastically larger
/// than the other", and agrees with `scipy.stats.mannwhitneyu(x, y, alternative="two-sided")` (checked against
/// reference values in the tests):
/// - `U1` is the rank sum of `x` minus n1(n1 + 1)/2, with average ranks for ties; the p-value uses
///   U = max(U1, n1·n2 − U1) and doubles its upper tail, clipped to 1.
/// - **exact**: the null distribution of U without ties, the coefficients of the Gaussian binomial
///   [n1 + n2 choose n1]_q, built as ∏ (1 − q^(n+i)) / (1 − q^i) for i = 1…m with m = min(n1, n2), n = max
///   (Andrews, *The Theory of Partitions*, §3.3). Cost O(m · n1·n2 / 2).
/// - **asymptotic**: the normal approximation with tie correction and continuity correction:
///   z = (U − n1·n2/2 − 0.5) / σ, σ² = n1·n2/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1))) over tie groups of size t.
/// - **automatic** (scipy's rule): exact when one sample has at most 8 values and there are no ties, else
///   asymptotic.
///
/// When every value is the same the test is *degenerate*: there is no information, p = 1, and
/// ``Result/isDegenerate`` is set so that a caller can leave it out of a multiple-testing family.
public enum MannWhitneyU {
    /// How the p-value is computed.
    public enum Method: String, Sendable, CaseIterable {
        /// Exact with no ties and one sample of at most 8 values, else asymptotic (scipy's `auto`).
        case automatic
        /// The exact null distribution (ties are ignored by it, as in scipy).
        case exact
        /// The normal approximation with tie and continuity corrections.
        case asymptotic
    }

    /// The outcome of a test.
    public struct Result: Hashable, Sendable {
        /// U of the first sample (scipy's `statistic`).
        public var u1: Double
        /// The two-sided p-value.
        public var pValue: Double
        /// The method actually used.
        public var method: Method
        /// Whether every value was equal (no ranking possible; p = 1).
        public var isDegenerate: Bool
    }

    /// Tests `x` against `y` (both non-empty). Cost: O(N log N) for the ranks, plus the exact distribution's
    /// cost when it is used.
    public static func test(_ x: [Double], _ y: [Double], method: Method = .automatic) -> Result {
        precondition(!x.isEmpty && !y.isEmpty, "Mann–Whitney U needs two non-empty samples")
        let (n1, n2) = (x.count, y.count)
        let ranked = Ranks(x + y)
        let rankSum = ranked.ranks[0..<n1].reduce(0, +)
        let u1 = rankSum - Double(n1 * (n1 + 1)) / 2
        let product = Double(n1) * Double(n2)
        let u = max(u1, product - u1)
        if ranked.tieGroups == [n1 + n2] {
            return Result(u1: u1, pValue: 1, method: method == .exact ? .exact : .asymptotic, isDegenerate: true)
        }
        var used = method
        if method == .automatic {
            used = (n1 > 8 && n2 > 8) || ranked.hasTies ? .asymptotic : .exact
        }
        let p: Double
        if used == .exact {
            p = 2 * exactUpperTail(Int(u), n1, n2)
        } else {
            let n = Double(n1 + n2)
            let tieTerm = ranked.tieGroups.reduce(0.0) { $0 + Double($1) * Double($1) * Double($1) - Double($1) }
            let sigma = (product / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let z = (u - product / 2 - 0.5) / sigma
            p = 2 * SpecialFunctions.normalSurvival(z)
        }
        return Result(u1: u1, pValue: min(max(p, 0), 1), method: used, isDegenerate: false)
    }

    /// P(U ≥ u) under the null hypothesis without ties, for u ≥ n1·n2/2.
    static func exactUpperTail(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        // By symmetry P(U ≥ u) = P(U ≤ n1·n2 − u), and n1·n2 − u ≤ n1·n2/2 needs only the lower half.
        let limit = n1 * n2 - u
        let frequencies = exactFrequencies(n1, n2, upTo: limit)
        let total = Double.exp(SpecialFunctions.logChoose(n1 + n2, min(n1, n2)))
        return frequencies[0...max(limit, 0)].reduce(0, +) / total
    }

    /// The number of rankings giving U = 0, 1, …, `degree` for samples of sizes n1 and n2 without ties: the
    /// coefficients of the Gaussian binomial [n1 + n2 choose n1]_q up to q^degree.
    static func exactFrequencies(_ n1: Int, _ n2: Int, upTo degree: Int) -> [Double] {
        let (m, n) = (min(n1, n2), max(n1, n2))
        var coefficients = [Double](repeating: 0, count: max(degree, 0) + 1)
        coefficients[0] = 1
        for i in stride(from: 1, through: m, by: 1) {
            // Divide by (1 − q^i): a running sum with stride i (all terms stay non-negative).
            if i <= degree {
                for k in i...degree { coefficients[k] += coefficients[k - i] }
            }
            // Multiply by (1 − q^(n+i)), from the top so each term uses the old lower ones.
            let shift = n + i
            if shift <= degree {
                for k in stride(from: degree, through: shift, by: -1) { coefficients[k] -= coefficients[k - shift] }
            }
        }
        return coefficients
    }
}

/// Average ranks (1-based) of a sample, with the sizes of its tie groups.
struct Ranks {
    /// The rank of each value, in input order.
    var ranks: [Double]
    /// The size of every group of equal values (1 for a value without ties), in ascending value order.
    var tieGroups: [Int]

    var hasTies: Bool { tieGroups.contains { $0 > 1 } }

    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold equal values: each gets the mean of ranks start+1 … end.
            let rank = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = rank }
            groups.append(end - start)
            start = end
        }
        self.ranks = ranks
        tieGroups = groups
    }
}
