import Foundation
import Testing

/// Issue #7 item 4: every bad input class on every `tracelog ingest` path, against the real binary.
///
/// Each case copies its format's baseline log, ingests a file with valid lines or elements around one bad one,
/// and checks: exit status 1, one stderr line `FILE: <location>: <reason>`, the `N ingested, M rejected` summary,
/// and — reading the log back with `tracelog replay` — that the log holds exactly the baseline plus the valid
/// input that the mode stores (compared with the valid input ingested alone into another copy of the baseline).
@Suite("tracelog ingest: the bad input matrix")
struct BadInputMatrixTests {
    @Test("every format × input class is a case or documented as not applicable")
    func coverage() {
        for format in InputFormat.allCases {
            for inputClass in InputClass.allCases {
                let cases = BadInputMatrix.defaultModeCases.filter {
                    $0.format == format && $0.inputClass == inputClass
                }
                let skipped = BadInputMatrix.notApplicable[format]?[inputClass]
                #expect(cases.isEmpty != (skipped == nil), "\(format.rawValue): \(inputClass.rawValue)")
            }
        }
        // 33 bad inputs in the default mode, 31 with --stop-on-error (the 100 MB documents run once).
        #expect(BadInputMatrix.defaultModeCases.count == 33)
        #expect(BadInputMatrix.cases.count == 64)
    }

    @Test(
        "a bad input is reported by file and line or element; the log keeps exactly the valid input",
        arguments: BadInputMatrix.cases)
    func badInput(_ badCase: BadInputCase) async throws {
        let baseline = try await BadInputLogs.baseline(badCase.format)
        let log = try BadInputLogs.copy(of: baseline)
        let pieces = badCase.pieces(baseline)
        let file = log.path + "-input"
        try InputFile.write(InputFile.parts(of: pieces, as: badCase.format), to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }

        let run = try await CLIRun.tracelog(
            BadInputLogs.ingestArguments(badCase.format, log: log.path, file: file, stopOnError: badCase.stopOnError))

        let stored = InputFile.validText(of: badCase.storedPieces(baseline), as: badCase.format)
        let expected = try await BadInputLogs.expectedLog(baseline, format: badCase.format, valid: stored)
        #expect(run.status == 1)
        #expect(run.stdout == "\(expected.ingested) ingested, \(badCase.rejectedEvents) rejected\n")
        let errors = run.stderr.split(separator: "\n")
        #expect(errors.count == 1, "stderr: \(run.stderr.prefix(2000))")
        let message = "\(file): \(badCase.message(baseline))"
        #expect(errors.first?.hasPrefix(message) == true, "expected \(message)\ngot \(errors.first ?? "")")
        await #expect(try BadInputLogs.normalizedReplay(log.path) == expected.replay)
    }
}
