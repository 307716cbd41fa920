import Testing
import TraceLogAnalysis

@Suite("Student's t-test against scipy")
struct StudentTTestTests {
    @Test("t and p match scipy.stats.ttest_ind(equal_var=True)")
    func matchesScipy() throws {
        for reference in try Reference.cases("t_test") {
            let result = StudentTTest.test(try reference.doubles("x"), try reference.doubles("y"))
            #expect(isClose(result.t, try reference.double("t"), relative: 1e-10), "\(reference)")
            #expect(isClose(result.pValue, try reference.double("p"), relative: 1e-9), "\(reference)")
        }
    }

    @Test("no spread: equal means give p = 1, different means p = 0; too few values give p = 1")
    func edges() {
        #expect(StudentTTest.test([3, 3, 3], [3, 3]).pValue == 1)
        #expect(StudentTTest.test([3, 3, 3], [4, 4]).pValue == 0)
        #expect(StudentTTest.test([1], [2]).pValue == 1)
    }
}
