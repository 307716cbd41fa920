// tracelog-crashtest: the child process of the crash and concurrency tests.
//
//   tracelog-crashtest append DIR COUNT [--durability sync|interval:N|none] [--per-append N] [--segment-bytes N]
//
// Appends COUNT records whose execution id is "ex-<seq>" (so any reader can check that record n is the n-th one)
// and prints "acked <endSeq>" on stdout, flushed, after each acknowledged append. A parent that kills this
// process with SIGKILL knows every sequence number below the last printed endSeq was acknowledged.
import Foundation
import TraceLogStorage

@main
enum CrashTestTool {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 3, arguments.removeFirst() == "append", let count = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: tracelog-crashtest append DIR COUNT [options]\n".utf8))
            exit(2)
        }
        let directory = arguments[0]
        var options = LogOptions(durability: .sync)
        var perAppend = 10
        var index = 2
        while index + 1 < arguments.count {
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--durability": options.durability = Durability(parsing: value) ?? .sync
            case "--per-append": perAppend = Int(value) ?? perAppend
            case "--segment-bytes": options.segmentMaxBytes = Int64(value) ?? options.segmentMaxBytes
            case "--batch-bytes": options.batchTargetBytes = Int(value) ?? options.batchTargetBytes
            default: break
            }
            index += 2
        }
        do {
            let writer = try LogWriter.open(directory: directory, options: options)
            var appended = 0
            while appended < count {
                let first = writer.endSeq
                let records = (0..<UInt64(min(perAppend, count - appended))).map { crashTestRecord(seq: first + $0) }
                let range = try await writer.append(records)
                appended += records.count
                FileHandle.standardOutput.write(Data("acked \(range.upperBound)\n".utf8))
            }
            try writer.close()
        } catch {
            FileHandle.standardError.write(Data("tracelog-crashtest: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The record for a sequence number: its id names the seq, its payload is long enough to fill batches.
    static func crashTestRecord(seq: UInt64) -> Record {
        let input = RawJSON(#"{"seq":\#(seq),"note":"crash test record with a payload of moderate size"}"#)
        return Record(
            time: Timestamp(microseconds: 1_795_000_000_000_000 + Int64(seq)),
            traceID: TraceID(high: 7, low: seq / 16 + 1),
            body: .executionAttempt(ExecutionAttempt(id: "ex-\(seq)", action: "crash.node", input: input)))
    }
}
