import Testing

@testable import TraceLogAnalysis

@Suite("Mann–Whitney U against scipy")
struct MannWhitneyUTests {
    @Test("p-values and U match scipy.stats.mannwhitneyu: exact, asymptotic, with and without ties")
    func matchesScipy() throws {
        let cases = try Reference.cases("mann_whitney")
        #expect(cases.count >= 10)
        for reference in cases {
            let name = reference["name"] as? String ?? "?"
            let method: MannWhitneyU.Method =
                switch reference["method"] as? String {
                case "exact": .exact
                case "asymptotic": .asymptotic
                default: .automatic
                }
            let result = MannWhitneyU.test(try reference.doubles("x"), try reference.doubles("y"), method: method)
            #expect(result.u1 == (try reference.double("u1")), "\(name): U1")
            #expect(isClose(result.pValue, try reference.double("p")), "\(name): p \(result.pValue)")
            if name.hasPrefix("exact") { #expect(result.method == .exact, "\(name) uses the exact distribution") }
            if name.hasPrefix("asymptotic") { #expect(result.method == .asymptotic, "\(name)") }
        }
    }

    @Test("the exact distribution: counts are the Gaussian binomial coefficients and sum to C(m+n, m)")
    func exactDistribution() {
        // m = 2, n = 3: U = 0…6 with counts 1 1 2 2 2 1 1 (the partitions in a 2 × 3 box).
        #expect(MannWhitneyU.exactFrequencies(2, 3, upTo: 6) == [1, 1, 2, 2, 2, 1, 1])
        let counts = MannWhitneyU.exactFrequencies(4, 6, upTo: 24)
        #expect(counts.reduce(0, +) == 210)  // C(10, 4)
        #expect(counts == counts.reversed(), "symmetric")
        // Smallest two-sided p of 3 vs 3 is 2/20: three runs against three can never reach alpha = 0.01.
        #expect(isClose(MannWhitneyU.test([1, 2, 3], [4, 5, 6]).pValue, 0.1, relative: 1e-12))
    }

    @Test("every value equal is degenerate: p = 1, no information")
    func degenerate() {
        let result = MannWhitneyU.test([5, 5, 5, 5], [5, 5, 5])
        #expect(result.isDegenerate)
        #expect(result.pValue == 1)
    }

    @Test("average ranks for ties and the tie groups")
    func ranks() {
        let ranks = Ranks([10, 20, 20, 5, 20])
        #expect(ranks.ranks == [2, 4, 4, 1, 4])
        #expect(ranks.tieGroups == [1, 1, 3])
    }
}
