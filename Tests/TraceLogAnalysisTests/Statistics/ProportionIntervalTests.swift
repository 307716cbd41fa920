import Testing
import TraceLogAnalysis

@Suite("Wilson and Newcombe intervals")
struct ProportionIntervalTests {
    @Test("Wilson's interval matches scipy's binomtest(...).proportion_ci(method='wilson')")
    func wilson() throws {
        for reference in try Reference.cases("wilson") {
            let interval = ProportionInterval.wilson(successes: try reference.int("k"), trials: try reference.int("n"))
            let expected = try reference.doubles("interval")
            #expect(isClose(interval.low, expected[0], relative: 1e-9) || abs(interval.low - expected[0]) < 1e-15)
            #expect(isClose(interval.high, expected[1], relative: 1e-9), "\(reference)")
        }
    }

    @Test("Newcombe's interval of a difference, on scipy's Wilson intervals")
    func newcombe() throws {
        for reference in try Reference.cases("newcombe") {
            let interval = ProportionInterval.newcombeDifference(
                x1: try reference.int("x1"), n1: try reference.int("n1"), x2: try reference.int("x2"),
                n2: try reference.int("n2"))
            let expected = try reference.doubles("interval")
            #expect(abs(interval.low - expected[0]) < 1e-12, "\(reference)")
            #expect(abs(interval.high - expected[1]) < 1e-12, "\(reference)")
        }
    }
}
