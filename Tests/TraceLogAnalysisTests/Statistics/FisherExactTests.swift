import Testing
import TraceLogAnalysis

@Suite("Fisher's exact test against scipy")
struct FisherExactTests {
    @Test("two-sided p-values match scipy.stats.fisher_exact")
    func matchesScipy() throws {
        for reference in try Reference.cases("fisher") {
            let table = try #require(reference["table"] as? [[Int]])
            let result = FisherExact.test(table[0][0], table[0][1], table[1][0], table[1][1])
            #expect(isClose(result.pValue, try reference.double("p"), relative: 1e-9), "\(table): \(result.pValue)")
        }
    }

    @Test("a table whose margins allow one outcome is degenerate and cannot reject")
    func degenerate() {
        let none = FisherExact.test(0, 40, 0, 40)
        #expect(none.pValue == 1 && none.isDegenerate)
        #expect(FisherExact.test(40, 0, 40, 0).isDegenerate)
        #expect(FisherExact.test(0, 0, 3, 4).isDegenerate)
        #expect(!FisherExact.test(0, 40, 1, 39).isDegenerate)
    }
}
