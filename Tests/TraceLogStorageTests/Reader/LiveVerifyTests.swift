import Foundation
import Testing
import TraceLogTestSupport

@testable import TraceLogStorage

/// `verify` on a live log: a writer in another process appends, rolls segments, writes index files (and, in one
/// run, deletes old segments) while verification runs over and over. Each run checks the prefix its reader
/// opened, so every one must pass. Before, 9 of 12 runs failed with "batch table differs from the segment" or
/// "traceID index differs": the last segment was re-read as far as the writer had got by then.
@Suite struct LiveVerifyTests {
    @Test(arguments: [false, true])
    func verifyPassesOnAHealthyLiveLog(retention: Bool) async throws {
        let directory = TemporaryDirectory()
        let tool = BuiltTool.path("tracelog-crashtest")
        #expect(FileManager.default.isExecutableFile(atPath: tool), "build tracelog-crashtest first: \(tool)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments =
            [
                "append", directory.path, "60000", "--durability", "none", "--per-append", "20",
                "--segment-bytes", "65536", "--batch-bytes", "1024", "--persist-indexes", "--quiet",
            ] + (retention ? ["--retain-records", "20000"] : [])
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // Verification runs on a thread of its own for as long as the writer runs (see `offThePool`).
        let path = directory.path
        let (runs, problems) = try await offThePool {
            var runs = 0
            var longLived: LogReader?
            var problems: [String] = []
            while process.isRunning {
                // A new reader each time, and one long-lived reader refreshed before each run.
                guard let fresh = try? LogReader(directory: path), fresh.endSeq > 0 else { continue }
                if longLived == nil { longLived = fresh } else { try longLived?.refresh() }
                for reader in [fresh, longLived!] {
                    let report = try reader.verify()
                    runs += 1
                    problems += report.problems.map { "run \(runs) (end \(reader.endSeq)): \($0)" }
                }
            }
            process.waitUntilExit()
            return (runs, problems)
        }
        #expect(process.terminationStatus == 0)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(runs >= 6, "verification ran while the writer wrote")
        let final = try LogReader(directory: directory.path)
        #expect(final.endSeq == 60000)
        #expect(try final.verify().isClean)
        #expect(final.segmentNames.count > 3)
    }
}
