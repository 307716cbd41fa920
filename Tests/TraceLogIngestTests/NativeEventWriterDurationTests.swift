import Testing
import TraceLogStorage

@testable import TraceLogIngest

/// Records whose duration is NaN or infinite (found by the record fuzz target,
/// `tools/fuzz/Corpus/record/regression-nonfinite-duration.bin`): writing them as native lines, as
/// `tracelog replay` does with every stored record, trapped in `JSONOutput.appendNumber`.
@Suite struct NativeEventWriterDurationTests {
    static func line(duration: Double) -> String {
        let attempt = ExecutionAttempt(id: "ex-1", action: "ci.build", durationMs: duration)
        let record = Record(
            time: Timestamp(microseconds: 1_795_341_600_004_000), traceID: TraceID(high: 1, low: 2),
            body: .executionAttempt(attempt))
        return NativeEventWriter().line(for: record)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, Double(bitPattern: 0xFFFF_FFFF_FFFF_FFFE)])
    func aNonFiniteDurationIsLeftOutAndTheLineReadsBack(_ duration: Double) throws {
        let line = Self.line(duration: duration)
        #expect(!line.contains("duration_ms"))
        let event = try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1)
        guard case .executionAttempt(let attempt) = event.body else {
            Issue.record("not an execution: \(line)")
            return
        }
        #expect(attempt.durationMs == nil)
    }

    @Test func aFiniteDurationIsStillWritten() {
        #expect(Self.line(duration: 1500.25).contains(#""duration_ms":1500.25"#))
    }
}
