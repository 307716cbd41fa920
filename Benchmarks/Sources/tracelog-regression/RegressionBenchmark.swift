import Foundation
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// `tracelog-regression [--runs N] [--nodes K] [--unrelated U] [--work DIR] [--keep]`
///
/// The scale check of issue 15: two sets of N runs (default 10,000) of K nodes (default 10) — the candidate's
/// node 3 planted 1.5× slower and its node 7 failing 10% of the time instead of 1% — plus U unrelated traces
/// (default 20,000) in one log,
/// then the wall time of each step of `tracelog compare` and `tracelog history`: selecting the runs (tag index
/// and trace-start tables; the glob reads one tag per distinct tag hash), reading them, the statistics, and the
/// reports. Prints a markdown table on stdout, progress on stderr.
@main
struct RegressionBenchmark {
    static func main() async throws {
        var runs = 10_000
        var nodes = 10
        var unrelated = 20_000
        var work = NSTemporaryDirectory() + "tracelog-regression-bench"
        var keep = false
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--runs": runs = Int(arguments.next()!)!
            case "--nodes": nodes = Int(arguments.next()!)!
            case "--unrelated": unrelated = Int(arguments.next()!)!
            case "--work": work = arguments.next()!
            case "--keep": keep = true
            default:
                print("usage: tracelog-regression [--runs N] [--nodes K] [--unrelated U] [--work DIR] [--keep]")
                exit(2)
            }
        }
        let reused = keep && FileManager.default.fileExists(atPath: work)
        if !reused { try? FileManager.default.removeItem(atPath: work) }
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }

        if !reused {
            let store = try WritableTraceStore.open(directory: work, options: LogOptions(durability: .none))
            let (events, seconds) = try await timed { try await fill(store, runs: runs, nodes: nodes, unrelated: unrelated) }
            try store.close()
            log("ingested \(events) events in \(format(seconds)) s")
        }
        var rows: [(String, Double, String)] = []
        let (store, openSeconds) = try timed { try TraceStore.openReadOnly(directory: work) }
        rows.append(("open the log (read-only)", openSeconds, ""))
        let baselineSelector = try RunSelector(parsing: "tag:base-*")
        let candidateSelector = try RunSelector(parsing: "tag:cand-*")
        let (starts, selectSeconds) = try timed {
            (try store.runStarts(baselineSelector), try store.runStarts(candidateSelector))
        }
        rows.append(("select both sets (glob over \(2 * runs + unrelated) traces)", selectSeconds,
                     "\(starts.0.count) + \(starts.1.count) runs"))
        let (sets, loadSeconds) = try timed { (try store.runSet(baselineSelector), try store.runSet(candidateSelector)) }
        rows.append(("read both sets (per-node samples)", loadSeconds, "\(sets.0.runs.count + sets.1.runs.count) runs"))
        let (comparison, compareSeconds) = timed { RunSetComparison(baseline: sets.0, candidate: sets.1) }
        rows.append(("statistics (\(nodes) nodes: Mann–Whitney, Fisher, Holm, 4000-replicate bootstraps)",
                     compareSeconds, "\(comparison.regressions) regressions"))
        let (json, jsonSeconds) = timed { comparison.json.serialized() }
        rows.append(("JSON report", jsonSeconds, "\(json.utf8.count) bytes"))
        let (html, htmlSeconds) = timed { comparison.htmlReport() }
        rows.append(("HTML report", htmlSeconds, "\(html.utf8.count) bytes"))
        rows.append(("**compare, end to end (after open)**", selectSeconds + loadSeconds + compareSeconds + jsonSeconds, ""))
        let (all, historyLoad) = try timed { try store.runSet(RunSelector(parsing: "tag:*-*")) }
        let (history, historySeconds) = try timed { try RunHistory(all) }
        let changes = history.nodes.map(\.changePoints.count).reduce(0, +)
        rows.append(("history: read \(all.runs.count) runs", historyLoad, ""))
        rows.append(("history: change points of \(history.nodes.count) series", historySeconds, "\(changes) change points"))

        print("### Regression analysis: \(runs) + \(runs) runs × \(nodes) nodes, \(unrelated) unrelated traces\n")
        print("| step | seconds | |")
        print("|---|---:|---|")
        for (name, seconds, note) in rows { print("| \(name) | \(format(seconds)) | \(note) |") }
        let slower = comparison.nodes.filter { $0.duration?.verdict == .slower }.map(\.node)
        let worse = comparison.nodes.filter { $0.failureRate?.verdict == .worse }.map(\.node)
        print("\nslower: \(slower), worse: \(worse)")
    }

    /// The log: the base runs, then the cand runs (one a minute, so `history` sees the change), then the
    /// unrelated traces.
    static func fill(_ store: WritableTraceStore, runs: Int, nodes: Int, unrelated: Int) async throws -> Int {
        var generator = SeededGenerator(seed: 15)
        var events: [IncomingEvent] = []
        var total = 0
        func flush() async throws {
            let result = try await store.ingest(events, atomic: true)
            precondition(result.rejected.isEmpty, "\(result.rejected.first!.error)")
            total += events.count
            events.removeAll(keepingCapacity: true)
        }
        let start = Int64(1_790_000_000) * 1_000_000
        for index in 0..<(2 * runs) {
            let candidate = index >= runs
            let tag = "\(candidate ? "cand" : "base")-\(index % runs)"
            var time = start + Int64(index) * 60_000_000
            for node in 0..<nodes {
                var duration = Double(20 + 10 * node) * exp(0.1 * generator.nextNormal())
                if candidate && node == 3 { duration *= 1.5 }
                let failureRate = candidate && node == 7 ? 0.1 : 0.01
                let failed = generator.nextUniform() < failureRate
                let id = "\(tag).n\(node)"
                events.append(
                    IncomingEvent(
                        body: .executionAttempt(
                            ExecutionAttempt(
                                id: id, action: "node-\(node)", runID: tag, status: failed ? "failed" : "succeeded",
                                durationMs: (duration * 1000).rounded() / 1000, failure: failed ? .terminal : nil,
                                causedBy: node == 0 ? nil : EntityRef(type: .execution, id: "\(tag).n\(node - 1)"))),
                        time: Timestamp(microseconds: time), trace: node == 0 ? TraceContext(tag: tag) : nil))
                time += Int64(duration * 1000)
            }
            if events.count >= 4096 { try await flush() }
        }
        for index in 0..<unrelated {
            events.append(
                IncomingEvent(
                    body: .executionAttempt(ExecutionAttempt(id: "other-\(index)", action: "core.noop", durationMs: 1)),
                    time: Timestamp(microseconds: start + Int64(index) * 1_000_000),
                    trace: TraceContext(tag: "other\(index)")))
            if events.count >= 4096 { try await flush() }
        }
        try await flush()
        return total
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    static func log(_ message: String) { FileHandle.standardError.write(Data((message + "\n").utf8)) }
}
