import Foundation
import TraceLogStorage

/// The child process: appends numbered records and reports each acknowledged end sequence number.
struct AppendChild {
    let directory: String
    let count: Int
    let options: Options

    func run() async throws {
        var logOptions = LogOptions(durability: Durability(parsing: options.values["--durability"] ?? "sync") ?? .sync)
        logOptions.segmentMaxBytes = Int64(options.int("--segment-bytes", Int(logOptions.segmentMaxBytes)))
        logOptions.batchTargetBytes = options.int("--batch-bytes", logOptions.batchTargetBytes)
        let perAppend = options.int("--per-append", 10)
        let retain = options.values["--retain-records"].flatMap(UInt64.init)
        let writer = try LogWriter.open(directory: directory, options: logOptions)
        let sealer =
            options.flags.contains("--persist-indexes")
            ? try LogReader(directory: directory, persistsIndexes: true) : nil
        var appended = 0
        while appended < count {
            let first = writer.endSeq
            let records = (0..<UInt64(min(perAppend, count - appended))).map { crashTestRecord(seq: first + $0) }
            let range = try await writer.append(records)
            appended += records.count
            FileHandle.standardOutput.write(Data("acked \(range.upperBound)\n".utf8))
            try sealer?.refresh()
            if let retain, range.upperBound > retain {
                _ = try writer.deleteSegments(olderThan: crashTestTime(seq: range.upperBound - retain))
            }
        }
        try writer.close()
    }
}
