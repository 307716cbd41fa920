import Testing
import TraceLogAnalysis

@Suite("Special functions against scipy")
struct SpecialFunctionsTests {
    @Test("normal survival function, far tails included")
    func normal() throws {
        for reference in try Reference.cases("normal_sf") {
            let z = try reference.double("z")
            #expect(
                isClose(SpecialFunctions.normalSurvival(z), try reference.double("sf"), relative: 1e-12), "z = \(z)")
        }
    }

    @Test("regularized incomplete beta function")
    func incompleteBeta() throws {
        for reference in try Reference.cases("incomplete_beta") {
            let value = SpecialFunctions.regularizedIncompleteBeta(
                try reference.double("x"), a: try reference.double("a"), b: try reference.double("b"))
            #expect(isClose(value, try reference.double("value"), relative: 1e-10), "\(reference)")
        }
    }

    @Test("Student's t two-sided tail")
    func studentT() throws {
        for reference in try Reference.cases("student_t_two_sided") {
            let p = SpecialFunctions.studentTTwoSided(
                try reference.double("t"), degreesOfFreedom: try reference.double("df"))
            #expect(isClose(p, try reference.double("p"), relative: 1e-10), "\(reference)")
        }
    }
}
