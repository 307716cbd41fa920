import Foundation
import Testing
import TraceLogTestSupport

/// The suite's run of the cross-process concurrency check: three reader processes do 1000 read passes each
/// (alternately a new reader and a refresh) while a writer process appends, rolls 8 KiB segments, seals their
/// index files and deletes old ones. Every pass must see a dense prefix whose records are exactly the ones
/// appended and whose index lookups agree with the scan. The long run is `tools/readtest.sh` (see README.md).
@Suite struct ConcurrentReadersTests {
    @Test func readersInOtherProcessesSeeOnlyConsistentPrefixesWhileTheWriterRolls() async throws {
        let directory = TemporaryDirectory()
        let run = try await ChildProcess.run(
            BuiltTool.path("tracelog-crashtest"),
            ["readers", directory.path + "/run", "--readers", "3", "--passes", "1000", "--seed", "11"])
        let summary = run.stdout
        #expect(run.status == 0, "\(summary)\(run.stderr)")
        /// The number just before `phrase` in the summary line, e.g. `count("read passes")`.
        func count(_ phrase: String) -> Int? {
            guard let range = summary.range(of: " " + phrase) else { return nil }
            return Int(summary[..<range.lowerBound].split(separator: " ").last ?? "")
        }
        #expect(count("read passes") == 3000, "\(summary)")
        #expect(count("failures") == 0, "\(summary)")
        #expect((count("records checked") ?? 0) > 100_000, "\(summary)")
        #expect((count("segment rolls") ?? 0) >= 20, "the writer rolled often while being read: \(summary)")
        #expect((count("segments deleted") ?? 0) >= 10, "retention deleted segments under the readers: \(summary)")
    }
}
