// tracelog-crashtest: crash and concurrency testing for the storage layer.
//
//   tracelog-crashtest append DIR COUNT [--durability sync|interval:N|none] [--per-append N]
//                      [--segment-bytes N] [--batch-bytes N] [--persist-indexes] [--retain-records N]
//       The child. Appends COUNT records whose execution id is "ex-<seq>" and prints "acked <endSeq>" on
//       stdout after each acknowledged append. --persist-indexes also runs the index sealer (a reader that
//       writes index files) like the writer's process does; --retain-records N deletes, after each append,
//       sealed segments whose records are all more than N records old (retention).
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
            Data("usage: tracelog-crashtest append DIR COUNT [options] | loop DIR [options]\n".utf8))
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
        time: crashTestTime(seq: seq), traceID: TraceID(high: 7, low: seq / 16 + 1),
        body: .executionAttempt(ExecutionAttempt(id: "ex-\(seq)", action: "crash.node", input: input)))
}

func crashTestTime(seq: UInt64) -> Timestamp {
    Timestamp(microseconds: 1_795_000_000_000_000 + Int64(seq))
}
