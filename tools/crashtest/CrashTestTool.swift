// tracelog-crashtest: crash and concurrency testing for the storage layer.
//
//   tracelog-crashtest append DIR COUNT [--durability sync|interval:N|none] [--per-append N]
//                      [--segment-bytes N] [--batch-bytes N] [--persist-indexes] [--retain-records N]
//                      [--stop-file PATH] [--quiet]
//       The child. Appends COUNT records whose execution id is "ex-<seq>" and prints "acked <endSeq>" on
//       stdout after each acknowledged append (not with --quiet). --persist-indexes also runs the index sealer
//       (a reader that writes index files) like the writer's process does; --retain-records N deletes, after
//       each append, sealed segments whose records are all more than N records old (retention). Stops early
//       once PATH exists; after closing prints "done appended <records> deleted <segments>".
//
//   tracelog-crashtest readers DIR [--readers N] [--passes N] [--retain-records N] [--segment-bytes N]
//                      [--per-append N] [--window N] [--durability MODE] [--seed N]
//       The concurrency check. Starts a writer child (append, small segments, index sealing, retention keeping
//       about N records; 0 turns retention off) and N reader children (read), each doing --passes passes while
//       the writer appends and rolls; then stops the writer and checks the final log. Prints a summary line;
//       exits 1 on any violation. Uses DIR/log for the log and DIR/*.out|err for the children's output.
//       Defaults: 3 readers, 1000 passes each, 300 records retained, 8192-byte segments, window 500.
//
//   tracelog-crashtest read DIR [--passes N] [--window N] [--lookups N] [--seed N]
//       A reader child: alternately opens a new reader and refreshes a long-lived one; after each pass checks
//       that the visible range never moves back, that a scan of it (its last --window records) is dense and
//       every record is the one appended under its seq, and that index lookups agree with the scan.
//
//   tracelog-crashtest loop DIR [--iterations N] [--seed N] [--mode plain|indexes|retention|all]
//       The parent. Starts the child, kills it with SIGKILL after a random delay, reopens the log and checks
//       that every acknowledged record is present, with no gap or duplicate, and that index lookups equal a
//       full scan. Prints a summary line; exits 1 on any violation.
import Foundation
import TraceLogStorage

@main
enum CrashTestTool {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first, arguments.count >= 2 else { usage() }
        arguments.removeFirst()
        let options = Options(arguments)
        do {
            switch command {
            case "append":
                guard let count = Int(options.positional.dropFirst().first ?? "") else { usage() }
                try await AppendChild(directory: options.positional[0], count: count, options: options).run()
            case "loop":
                let failures = try await KillLoop(directory: options.positional[0], options: options).run()
                exit(failures == 0 ? 0 : 1)
            case "readers":
                let failures = try ReadersRun(directory: options.positional[0], options: options).run()
                exit(failures == 0 ? 0 : 1)
            case "read":
                exit(ReaderChild(directory: options.positional[0], options: options).run() == 0 ? 0 : 1)
            default:
                usage()
            }
        } catch {
            FileHandle.standardError.write(Data("tracelog-crashtest: \(error)\n".utf8))
            exit(1)
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(
            Data(
                ("usage: tracelog-crashtest append DIR COUNT [options] | loop DIR [options] | readers DIR [options]"
                    + " | read DIR [options]\n").utf8))
        exit(2)
    }
}

/// `--name value` options and positional arguments.
struct Options {
    var positional: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                    values[argument] = arguments[index + 1]
                    index += 1
                } else {
                    flags.insert(argument)
                }
            } else {
                positional.append(argument)
            }
            index += 1
        }
    }

    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }
}

/// The record for a sequence number: its id names the seq; its time is the seq in microseconds past a base.
func crashTestRecord(seq: UInt64) -> Record {
    let input = RawJSON(#"{"seq":\#(seq),"note":"crash test record with a payload of moderate size"}"#)
    return Record(
        time: crashTestTime(seq: seq), traceID: TraceID(high: 7, low: crashTestTraceGroup(seq: seq) + 1),
        body: .executionAttempt(ExecutionAttempt(id: "ex-\(seq)", action: "crash.node", input: input)))
}

/// Records come in traces of 16 consecutive sequence numbers: group g is seqs 16g..<16g+16, trace id (7, g + 1).
func crashTestTraceGroup(seq: UInt64) -> UInt64 { seq / 16 }

func crashTestTime(seq: UInt64) -> Timestamp {
    Timestamp(microseconds: 1_795_000_000_000_000 + Int64(seq))
}
