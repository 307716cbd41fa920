import Foundation
import TraceLogFuzz

// tracelog-fuzz: the decoders' fuzz targets. The normal build replays corpus files through every target; the
// sanitizer build (-sanitize=fuzzer,address -DTRACELOG_FUZZING, see tools/fuzz.sh) also runs libFuzzer.

let usage = """
    usage: tracelog-fuzz replay [CORPUS_DIR]        every file under CORPUS_DIR through every target
                                                    (default: tools/fuzz/Corpus)
           tracelog-fuzz run TARGET FILE...         files through one target (e.g. a crash reproducer)
           tracelog-fuzz make-corpus [CORPUS_DIR]   writes the seeds (run from the repository root)
           tracelog-fuzz list                       the targets
           tracelog-fuzz TARGET [LIBFUZZER_ARGS]    libFuzzer on one target (sanitizer build only)
    targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.isEmpty ? "" : arguments.removeFirst()

if let target = FuzzTarget(rawValue: command) {
    #if TRACELOG_FUZZING
        // libFuzzer runs this executable again for -merge, -fork and -jobs, with its own arguments only: the
        // target travels in the environment.
        setenv(LibFuzzer.targetVariable, target.rawValue, 1)
        exit(LibFuzzer.run(target, arguments: [CommandLine.arguments[0]] + arguments))
    #else
        fail("libFuzzer is only in the sanitizer build (tools/fuzz.sh); use `run \(target) FILE...` here")
    #endif
}
#if TRACELOG_FUZZING
    if let name = ProcessInfo.processInfo.environment[LibFuzzer.targetVariable],
        let target = FuzzTarget(rawValue: name), !["replay", "run", "make-corpus", "list"].contains(command)
    {
        exit(LibFuzzer.run(target, arguments: CommandLine.arguments))
    }
#endif

switch command {
case "replay":
    let root = arguments.first ?? "tools/fuzz/Corpus"
    do {
        let report = try CorpusReplayer.replay(corpus: root)
        for (file, finding) in report.findings { print("FINDING \(file): \(finding)") }
        print("\(report.files) files, \(report.runs) runs, \(report.findings.count) findings")
        exit(report.findings.isEmpty && report.files > 0 ? 0 : 1)
    } catch {
        fail("cannot read \(root): \(error)")
    }
case "run":
    guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
        fail(usage)
    }
    var failed = false
    for path in arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        do throws(FuzzFinding) {
            try target.run([UInt8](data))
            print("ok \(path)")
        } catch {
            print("FINDING \(path): \(error)")
            failed = true
        }
    }
    exit(failed ? 1 : 0)
case "make-corpus":
    let root = arguments.first ?? "tools/fuzz/Corpus"
    do {
        let counts = try CorpusMaker.make(
            into: root, goldenSegment: "Tests/TraceLogStorageTests/Golden/Files/00000000000000000000.tlseg",
            selinonLines: "Tests/TraceLogIngestTests/Fixtures/selinon-flow.jsonl")
        for (target, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(target): \(count) seeds") }
    } catch {
        fail("cannot make the corpus: \(error)")
    }
case "list":
    for target in FuzzTarget.allCases { print(target) }
default:
    fail(usage)
}
