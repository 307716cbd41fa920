import Testing
import TraceLogAnalysis

@Suite("Holm–Bonferroni correction")
struct HolmBonferroniTests {
    @Test("adjusted p-values match the reference step-down computation")
    func matchesReference() throws {
        for reference in try Reference.cases("holm") {
            let p = try reference.doubles("p")
            let adjusted = HolmBonferroni.adjust(p.map { Optional($0) })
            let expected = try reference.doubles("adjusted")
            for (actual, wanted) in zip(adjusted, expected) {
                #expect(isClose(try #require(actual), wanted, relative: 1e-12), "\(p)")
            }
        }
    }

    @Test("tests outside the family stay nil and do not count in m")
    func nilIsNotAFamilyMember() {
        let adjusted = HolmBonferroni.adjust([0.01, nil, 0.02, nil])
        #expect(adjusted[1] == nil && adjusted[3] == nil)
        #expect(adjusted[0] == 0.02)  // m = 2, not 4
        #expect(adjusted[2] == 0.02)  // max(0.02, 1 × 0.02)
    }
}
