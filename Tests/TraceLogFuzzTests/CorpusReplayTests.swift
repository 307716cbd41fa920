import Foundation
import Testing
import TraceLogFuzz

/// Every committed seed and crash reproducer of `tools/fuzz/Corpus` goes through every fuzz target on every
/// test run: a regression check of the decoders that needs no sanitizer build.
@Suite struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tools/fuzz/Corpus").path

    @Test func everyCorpusFilePassesEveryTarget() throws {
        let report = try CorpusReplayer.replay(corpus: Self.corpus)
        #expect(report.files >= 30)
        #expect(report.runs == report.files * FuzzTarget.allCases.count)
        for (file, finding) in report.findings {
            Issue.record("\(URL(fileURLWithPath: file).lastPathComponent): \(finding)")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyTargetHasSeeds(_ target: FuzzTarget) throws {
        let files = try CorpusReplayer.files(under: Self.corpus + "/" + target.rawValue)
        #expect(files.count >= 2, "\(target) has \(files.count) seeds")
    }

    @Test func emptyAndTinyInputsAreHandled() throws {
        for target in FuzzTarget.allCases {
            for input: [UInt8] in [[], [0], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Array(repeating: 0, count: 64)] {
                try target.run(input)
            }
        }
    }
}
