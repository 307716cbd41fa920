import Foundation
import TraceLogStorage

/// The parent of the cross-process concurrency check: one writer child appends, rolls small segments and
/// deletes old ones while several reader children (``ReaderChild``) read the log over and over. When every
/// reader has done its passes the writer is told to stop; the parent then checks the final log once more.
struct ReadersRun {
    /// A work directory: the log goes in `log/`, the children's output and the stop file beside it.
    let directory: String
    let options: Options

    struct Totals {
        var passes = 0
        var records = 0
        var lookups = 0
        var maxSegmentsSeenByOneReader = 0
        var failures = 0
    }

    /// Runs the check; prints a summary line and returns the number of failures (0 when all is well).
    func run() throws -> Int {
        let started = Date()
        let log = directory + "/log"
        let stopFile = directory + "/stop"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let writer = try start(
            [
                "append", log, "1000000000000", "--quiet", "--stop-file", stopFile,
                "--durability", options.values["--durability"] ?? "none",
                "--per-append", "\(options.int("--per-append", 13))",
                "--segment-bytes", "\(options.int("--segment-bytes", 8192))",
                "--batch-bytes", "\(options.int("--batch-bytes", 1024))",
                "--persist-indexes",
            ] + retention(),
            output: "writer")
        var totals = Totals()
        var problems: [String] = []
        var readerReports: [String] = []
        if !waitForFirstRecord(in: log, while: writer) {
            problems.append("the writer child wrote nothing (see \(directory)/writer.err)")
        } else {
            let readerCount = options.int("--readers", 3)
            let readers = try (0..<readerCount).map { index in
                try start(
                    [
                        "read", log, "--passes", "\(options.int("--passes", 1000))",
                        "--seed", "\(options.int("--seed", 1) &* 1000 + index)",
                        "--window", "\(options.int("--window", 500))",
                    ],
                    output: "reader\(index)")
            }
            for (index, reader) in readers.enumerated() {
                reader.waitUntilExit()
                readerReports += collect(reader, output: "reader\(index)", into: &totals, problems: &problems)
            }
        }
        _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
        writer.waitUntilExit()
        let writerSummary = try String(contentsOfFile: directory + "/writer.out", encoding: .utf8)
        if writer.terminationStatus != 0 { problems.append("writer: \(errorOutput("writer"))") }
        let final = try checkFinalLog(log)
        problems += final.problems
        totals.failures += problems.count
        for line in readerReports + problems { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
        let deleted = number(after: "deleted", in: writerSummary) ?? 0
        print(
            "readers: \(options.int("--readers", 3)) reader processes, \(totals.passes) read passes, "
                + "\(totals.records) records checked, \(totals.lookups) index lookups, "
                + "up to \(totals.maxSegmentsSeenByOneReader) segments seen by one reader, "
                + "\(final.endSeq) records appended, \(deleted + final.segments - 1) segment rolls, "
                + "\(deleted) segments deleted by retention, \(totals.failures) failures, "
                + String(format: "%.1f s", Date().timeIntervalSince(started)))
        return totals.failures
    }

    private func retention() -> [String] {
        let records = options.int("--retain-records", 300)
        return records > 0 ? ["--retain-records", "\(records)"] : []
    }

    /// Starts this executable with `arguments`, its stdout and stderr going to `<output>.out` and `.err`.
    private func start(_ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = arguments
        for suffix in ["out", "err"] {
            _ = FileManager.default.createFile(atPath: "\(directory)/\(output).\(suffix)", contents: nil)
        }
        process.standardOutput = FileHandle(forWritingAtPath: "\(directory)/\(output).out")
        process.standardError = FileHandle(forWritingAtPath: "\(directory)/\(output).err")
        try process.run()
        return process
    }

    private func errorOutput(_ output: String) -> String {
        (try? String(contentsOfFile: "\(directory)/\(output).err", encoding: .utf8)) ?? ""
    }

    /// Waits until the log has a record, so readers start on an existing log; false if the writer died first.
    private func waitForFirstRecord(in log: String, while writer: Process) -> Bool {
        while writer.isRunning {
            if let reader = try? LogReader(directory: log), reader.endSeq > 0 { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// Adds a reader child's summary (its failures included) to the totals; returns the first lines of what it
    /// reported on stderr. A child that died without a summary is a problem of its own.
    private func collect(_ reader: Process, output: String, into totals: inout Totals, problems: inout [String])
        -> [String]
    {
        let summary = (try? String(contentsOfFile: "\(directory)/\(output).out", encoding: .utf8)) ?? ""
        func value(_ name: String) -> Int? { number(after: name, in: summary) }
        guard reader.terminationStatus == 0 || value("failures") != nil, let passes = value("passes") else {
            problems.append("\(output) exited with \(reader.terminationStatus): \(errorOutput(output))")
            return []
        }
        totals.passes += passes
        totals.records += value("records") ?? 0
        totals.lookups += value("lookups") ?? 0
        totals.maxSegmentsSeenByOneReader = max(totals.maxSegmentsSeenByOneReader, value("segments") ?? 0)
        totals.failures += value("failures") ?? 0
        let errors = errorOutput(output)
        return errors.isEmpty ? [] : errors.split(separator: "\n").prefix(20).map { "\(output): \($0)" }
    }

    private struct FinalCheck {
        var endSeq: UInt64 = 0
        var segments = 0
        var problems: [String] = []
    }

    /// After the writer closed: reopening finds nothing to repair, and a full scan and `verify` are clean.
    private func checkFinalLog(_ log: String) throws -> FinalCheck {
        var check = FinalCheck()
        let reopened = try LogWriter.open(directory: log, options: LogOptions(durability: .none))
        let report = reopened.recoveryReport
        if report.truncatedTail != nil || !report.damagedRegions.isEmpty {
            check.problems.append("reopening after a clean close repaired something: \(report)")
        }
        try reopened.close()
        let reader = try LogReader(directory: log)
        check.endSeq = reader.endSeq
        check.segments = reader.segmentNames.count
        var cursor = reader.cursor()
        var expected = reader.startSeq
        while let stored = try cursor.next() {
            guard stored.seq == expected, stored.record == crashTestRecord(seq: stored.seq) else {
                check.problems.append("final log: record \(stored.seq) is not the record appended as seq \(expected)")
                break
            }
            expected += 1
        }
        if expected != reader.endSeq { check.problems.append("final log: the scan ended at \(expected)") }
        let verification = try reader.verify()
        if !verification.isClean {
            check.problems.append("final log: verify: \(verification.problems.joined(separator: "; "))")
        }
        return check
    }
}

/// The number that follows the word `name` in a summary line such as `reader passes 1000 records 5400 …`.
func number(after name: String, in text: String) -> Int? {
    let words = text.split(whereSeparator: \.isWhitespace)
    guard let index = words.firstIndex(where: { $0 == name }), index + 1 < words.count else { return nil }
    return Int(words[index + 1])
}
