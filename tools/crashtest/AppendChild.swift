import Foundation
import TraceLogStorage

/// The child process: appends numbered records and reports each acknowledged end sequence number, then
/// (after a clean close) how many records it appended and how many segments retention deleted.
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
        let stopFile = options.values["--stop-file"]
        let quiet = options.flags.contains("--quiet")
        var appended = 0
        var deleted = 0
        while appended < count {
            if let stopFile, FileManager.default.fileExists(atPath: stopFile) { break }
            let first = writer.endSeq
            let records = (0..<UInt64(min(perAppend, count - appended))).map { crashTestRecord(seq: first + $0) }
            let range = try await writer.append(records)
            appended += records.count
            if !quiet { FileHandle.standardOutput.write(Data("acked \(range.upperBound)\n".utf8)) }
            try sealer?.refresh()
            if let retain, range.upperBound > retain {
                deleted += try writer.deleteSegments(olderThan: crashTestTime(seq: range.upperBound - retain))
                    .deletedSegments.count
            }
        }
        try writer.close()
        FileHandle.standardOutput.write(Data("done appended \(appended) deleted \(deleted)\n".utf8))
    }
}
