import Testing
import TraceLogWorkload

@Suite("WorkloadMix")
struct WorkloadMixTests {
    @Test("parses weights; kinds left out get 0")
    func parsesWeights() throws {
        #expect(try WorkloadMix(parsing: "stackstorm=5,stroma=3,selinon=2") == .mixed)
        #expect(try WorkloadMix(parsing: "selinon=1") == WorkloadMix(selinon: 1))
        #expect(try WorkloadMix(parsing: " stroma = 4 , stackstorm=0") == WorkloadMix(stroma: 4))
    }

    @Test("description round-trips")
    func descriptionRoundTrips() throws {
        let mix = WorkloadMix(stackstorm: 7, stroma: 0, selinon: 3)
        #expect(mix.description == "stackstorm=7,stroma=0,selinon=3")
        #expect(try WorkloadMix(parsing: mix.description) == mix)
    }

    @Test(
        "rejects bad input with a named reason",
        arguments: [
            ("stackstorm", WorkloadMixError.malformedPart("stackstorm")),
            ("airflow=1", .unknownKind("airflow")),
            ("stroma=-1", .invalidWeight(kind: "stroma", text: "-1")),
            ("stroma=x", .invalidWeight(kind: "stroma", text: "x")),
            ("stroma=1,stroma=2", .duplicateKind("stroma")),
            ("stackstorm=0,selinon=0", .noPositiveWeight),
            ("", .malformedPart("")),
        ])
    func rejectsBadInput(text: String, expected: WorkloadMixError) {
        #expect(throws: expected) { try WorkloadMix(parsing: text) }
        #expect(!expected.description.isEmpty)
    }
}
