import Foundation
import TraceLogStorage

/// The parent process: kill -9 the child at random moments and check the log after each kill.
struct KillLoop {
    let directory: String
    let options: Options

    struct Totals {
        var iterations = 0
        var acknowledged: UInt64 = 0
        var lost: UInt64 = 0
        var tornTails = 0
        var failures = 0
        var retentionRan = false
        var previousEnd: UInt64 = 0
        var previousStart: UInt64 = 0
    }

    /// Runs the loop; returns the number of iterations that found a violation.
    func run() async throws -> Int {
        let iterations = options.int("--iterations", 30)
        var generator = SplitMix64(seed: UInt64(options.int("--seed", 1)))
        let modes = modesToRun()
        var totals = Totals()
        for iteration in 0..<iterations {
            let mode = modes[iteration % modes.count]
            let delay = Double(5 + Int(generator.next() % 80)) / 1000
            let acked = try killChild(mode: mode, after: delay)
            totals.iterations += 1
            if mode == "retention" { totals.retentionRan = true }
            if let problem = try check(acked: acked, mode: mode, totals: &totals, generator: &generator) {
                totals.failures += 1
                FileHandle.standardError.write(Data("iteration \(iteration) (\(mode)): \(problem)\n".utf8))
            }
        }
        print(
            "kill-9 loop: \(totals.iterations) iterations (\(modes.joined(separator: ", "))), "
                + "\(totals.acknowledged) records acknowledged, \(totals.lost) lost, "
                + "\(totals.tornTails) torn tails repaired, \(totals.failures) failures")
        return totals.failures
    }

    private func modesToRun() -> [String] {
        switch options.values["--mode"] ?? "all" {
        case "all": return ["plain", "indexes", "retention"]
        case let mode: return [mode]
        }
    }

    /// Starts the child, kills it after `delay` seconds, returns the last acknowledged end seq it reported.
    private func killChild(mode: String, after delay: Double) throws -> UInt64 {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var arguments = [
            "append", directory, "100000000", "--durability", "sync", "--per-append", "7",
            "--segment-bytes", "6000", "--batch-bytes", "700",
        ]
        if mode == "indexes" || mode == "retention" { arguments.append("--persist-indexes") }
        if mode == "retention" { arguments += ["--retain-records", "300"] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return lines.reversed().lazy.compactMap { UInt64($0.dropFirst("acked ".count)) }.first ?? 0
    }

    /// Reopens and checks the log; returns a description of the first violation, if any.
    private func check(acked: UInt64, mode: String, totals: inout Totals, generator: inout SplitMix64) throws -> String?
    {
        let writer = try LogWriter.open(directory: directory, options: LogOptions(durability: .none))
        if writer.recoveryReport.truncatedTail != nil { totals.tornTails += 1 }
        let end = writer.endSeq
        try writer.close()
        let reader = try LogReader(directory: directory)
        let start = reader.startSeq
        defer {
            totals.previousEnd = end
            totals.previousStart = start
        }
        totals.acknowledged += acked > totals.previousEnd ? acked - totals.previousEnd : 0
        if end < acked {
            totals.lost += acked - end
            return "acknowledged up to \(acked) but the log ends at \(end)"
        }
        if !totals.retentionRan, start != 0 { return "the log starts at \(start) without retention" }
        if start < totals.previousStart { return "the log start moved back from \(totals.previousStart) to \(start)" }
        var cursor = reader.cursor(from: start)
        var expected = start
        while let stored = try cursor.next() {
            guard stored.seq == expected, case .executionAttempt(let attempt) = stored.record.body,
                attempt.id == "ex-\(stored.seq)"
            else { return "record \(stored.seq) is not the record appended as seq \(expected)" }
            expected += 1
        }
        if expected != end { return "the scan ended at \(expected), the log at \(end)" }
        let verification = try reader.verify()
        if !verification.isClean { return "verify: \(verification.problems.joined(separator: "; "))" }
        for _ in 0..<10 where end > start {
            let seq = start + generator.next() % (end - start)
            let found = try reader.records(.execution, key: "ex-\(seq)").map(\.seq)
            if found != [seq] { return "index lookup of ex-\(seq) gave \(found)" }
        }
        return nil
    }
}

/// A small deterministic generator for delays and sample picks.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
