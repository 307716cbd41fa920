/// The E-Divisive means split search of Matteson and James (2014), "A nonparametric approach for multiple
/// change point analysis of multivariate data" (JASA 109(505)), for a univariate series with exponent α = 1.
///
/// For a segment z[a..<b], every split a < τ < κ ≤ b into X = z[a..<τ] (m values) and Y = z[τ..<κ] (n values)
/// is scored by the scaled energy distance
///
///     Q̂(τ, κ) = (m·n / (m + n)) · [ 2/(m·n) Σ|x − y| − Σ_{pairs in X}|x − x'| / C(m, 2) − Σ_{pairs in Y}|y − y'| / C(n, 2) ]
///
/// (a within-sample term is 0 when its sample has one value), and the candidate change point is the τ of the
/// best (τ, κ). The pair sums come from a table W(i, j) of within-range sums, built in O(L²) for a segment of
/// length L, so a whole search costs O(L²) time and memory: segments are the windows of
/// ``ChangePointDetector`` (50 values by default).
struct EnergyDivergence {
    /// A candidate change point: the first index after the split, and its score.
    struct Candidate {
        var index: Int
        var score: Double
    }

    /// The best split of `values[range]` by the largest Q̂, with at least `minimumSize` values on each side
    /// (|X| ≥ minimumSize and |Y| ≥ minimumSize); ties go to the smallest τ, then the smallest κ. Nil when the
    /// range is too short to split.
    static func bestSplit(_ values: [Double], in range: Range<Int>, minimumSize: Int = 1) -> Candidate? {
        let a = range.lowerBound
        let length = range.count
        let minimum = max(minimumSize, 1)
        guard length >= 2 * minimum, length >= 2 else { return nil }
        let width = length + 1
        // within[(i − a)·width + (j − a)] = Σ_{i ≤ p < q < j} |z_p − z_q| for a ≤ i ≤ j ≤ b.
        var within = [Double](repeating: 0, count: width * width)
        for j in (a + 2)...(a + length) {
            var column = 0.0  // Σ_{p = i}^{j−2} |z_p − z_{j−1}|
            for i in stride(from: j - 2, through: a, by: -1) {
                column += abs(values[i] - values[j - 1])
                let row = (i - a) * width
                within[row + j - a] = within[row + j - 1 - a] + column
            }
        }
        func w(_ i: Int, _ j: Int) -> Double { within[(i - a) * width + (j - a)] }
        var best: Candidate?
        for tau in (a + minimum)...(a + length - minimum) {
            let m = Double(tau - a)
            let left = w(a, tau)
            for kappa in (tau + minimum)...(a + length) {
                let n = Double(kappa - tau)
                let right = w(tau, kappa)
                let cross = w(a, kappa) - left - right
                var score = 2 / (m + n) * cross
                if m > 1 { score -= 2 * n / ((m + n) * (m - 1)) * left }
                if n > 1 { score -= 2 * m / ((m + n) * (n - 1)) * right }
                if best.map({ score > $0.score }) ?? true { best = Candidate(index: tau, score: score) }
            }
        }
        return best
    }
}
