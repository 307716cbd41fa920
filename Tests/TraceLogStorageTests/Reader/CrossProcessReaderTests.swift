import Foundation
import Testing
import TraceLogTestSupport

@testable import TraceLogStorage

/// A reader in this process while a writer in another process appends and rolls: it must only ever see a
/// dense, consistent prefix in which record n is the n-th record appended.
@Suite struct CrossProcessReaderTests {
    @Test func aReaderSeesOnlyConsistentPrefixesWhileAnotherProcessWrites() async throws {
        let directory = TemporaryDirectory()
        let total = 30_000
        let tool = BuiltTool.path("tracelog-crashtest")
        #expect(FileManager.default.isExecutableFile(atPath: tool), "build tracelog-crashtest first: \(tool)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [
            "append", directory.path, "\(total)", "--durability", "none", "--per-append", "25",
            "--segment-bytes", "32768", "--batch-bytes", "1024",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // The reader runs on a thread of its own for as long as the writer runs (see `offThePool`).
        let path = directory.path
        let (reader, refreshes, verified, problems) = try await offThePool {
            var reader: LogReader?
            var lastEnd: UInt64 = 0
            var refreshes = 0
            var verified: UInt64 = 0
            var problems: [String] = []
            while true {
                let running = process.isRunning
                if reader == nil { reader = try? LogReader(directory: path) }
                if let reader {
                    try reader.refresh()
                    refreshes += 1
                    let end = reader.endSeq
                    if end < lastEnd { problems.append("the visible prefix shrank from \(lastEnd) to \(end)") }
                    var cursor = reader.cursor(from: verified, to: end)
                    while let stored = try cursor.next() {
                        guard case .executionAttempt(let attempt) = stored.record.body,
                            attempt.id == "ex-\(stored.seq)"
                        else {
                            problems.append("record \(stored.seq) is not the one appended as seq \(stored.seq)")
                            break
                        }
                        verified = stored.seq + 1
                    }
                    lastEnd = end
                }
                if !running { break }
            }
            process.waitUntilExit()
            return (reader, refreshes, verified, problems)
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(process.terminationStatus == 0)
        try reader?.refresh()
        #expect(reader?.endSeq == UInt64(total))
        #expect(verified == UInt64(total))
        #expect(refreshes > 20)
        #expect((reader?.segmentNames.count ?? 0) > 5, "the writer rolled segments while being read")
    }

    @Test func followDeliversRecordsAsTheyAreAppended() async throws {
        let directory = TemporaryDirectory()
        let writer = try LogWriter.open(directory: directory.path, options: LogTestSupport.smallOptions())
        try await LogTestSupport.append(writer, count: 5)
        let reader = try LogReader(directory: directory.path)
        let stream = reader.follow(from: 2, pollInterval: .milliseconds(5))
        let appender = Task {
            try await Task.sleep(for: .milliseconds(30))
            try await LogTestSupport.append(writer, count: 10, startingAt: 5)
        }
        var seen: [UInt64] = []
        for try await stored in stream {
            seen.append(stored.seq)
            if seen.count == 13 { break }
        }
        try await appender.value
        try writer.close()
        #expect(seen == Array(2..<15))
    }
}
