import Foundation
import TraceLog
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// The read-path rows (issue 17), each against a baseline measured in the same run: `trace get` with batch
/// prefix reads against whole-batch reads (same keys, alternating passes), a zero-copy scan against the
/// decoding cursor and the LZ4 ceiling, `tracelog replay > /dev/null` as a process, `trace get --summary` and
/// `--limit 100` on a trace of a million components (time and peak RSS of the process), and the key filter's
/// size.
enum ReadPath {
    struct Results {
        var prefixGet = Latencies()
        var wholeBatchGet = Latencies()
        var viewScan = 0.0
        var cursorScan = 0.0
        var replayProcess: Double?
        var hugeComponents = 0
        var hugeRecords = 0
        var summary: ProcessRun?
        var firstPage: ProcessRun?
        var wholeTraceLibrary: Double?
        var filterBytes: Int64 = 0
        var filterKeys = 0
        var indexBytes: Int64 = 0
    }

    struct ProcessRun {
        var seconds: Double
        /// -1 when not measured.
        var maxRSSKiB: Int

        var described: String {
            String(format: "%.2f s, ", seconds)
                + (maxRSSKiB < 0
                    ? "peak RSS not measured" : String(format: "%.0f MB peak RSS", Double(maxRSSKiB) / 1024))
        }
    }

    /// Measures every row on the indexed log in `directory`; `hugeTrace` components (0: skip) in a log of their own
    /// under `work`.
    static func measure(
        directory: String, getKeys: [TraceID], hugeTrace: Int, work: String, keepHugeTrace: Bool = false
    ) throws -> Results {
        var results = Results()
        log("read path: trace get with batch prefixes against whole batches (\(getKeys.count) keys, 4 passes each)")
        let store = try TraceStore.openReadOnly(directory: directory)
        for key in getKeys { _ = try store.trace(key) }
        for pass in 0..<8 {
            let prefixes = pass % 2 == 0
            BatchPrefixReads.enabled = prefixes
            defer { BatchPrefixReads.enabled = true }
            // A fresh store each pass: the batch cache starts empty, as for the keys of a warm run.
            let fresh = try TraceStore.openReadOnly(directory: directory)
            for key in getKeys {
                let start = nowNanoseconds()
                _ = try fresh.trace(key)
                let elapsed = nowNanoseconds() - start
                if prefixes { results.prefixGet.add(elapsed) } else { results.wholeBatchGet.add(elapsed) }
            }
        }
        log("read path: zero-copy scan against the decoding cursor")
        _ = try scanViews(directory)
        let (viewCount, viewSeconds) = try timed { try scanViews(directory) }
        let (cursorCount, cursorSeconds) = try timed { try Replay.tracelog(directory) }
        results.viewScan = Double(viewCount) / viewSeconds
        results.cursorScan = Double(cursorCount) / cursorSeconds
        if let run = try runTracelog(["replay", "--log", directory]) {
            results.replayProcess = Double(viewCount) / run.seconds
        }
        (results.filterBytes, results.filterKeys, results.indexBytes) = filterSize(directory)
        if hugeTrace > 0 {
            let hugeDirectory = work + "/huge.tracelog"
            log("read path: a trace of \(hugeTrace) components")
            let (id, records) = try buildHugeTrace(in: hugeDirectory, components: hugeTrace)
            results.hugeComponents = hugeTrace
            results.hugeRecords = records
            results.summary = try runTracelog([
                "trace", "get", id.description, "--summary", "--json", "--log", hugeDirectory,
            ])
            results.firstPage = try runTracelog(
                ["trace", "get", id.description, "--limit", "100", "--json", "--log", hugeDirectory])
            if keepHugeTrace {
                log("  kept in \(hugeDirectory): trace \(id)")
            } else {
                try? FileManager.default.removeItem(atPath: hugeDirectory)
            }
        }
        return results
    }

    /// Visits every record as a view, reading its time and entity id; returns the count.
    static func scanViews(_ directory: String) throws -> Int {
        let reader = try LogReader(directory: directory)
        var count = 0
        var checksum: Int64 = 0
        try reader.forEachRecord { _, view throws(RecordDecodingError) in
            count += 1
            checksum &+= view.time.microseconds &+ Int64(view.field(.entityID)?.count ?? 0)
        }
        if checksum == 42 { print("") }
        return count
    }

    /// One trace: a trace start, then `components` components in a cascade (trigger instance → rule enforcement →
    /// execution → the next trigger instance …), executions alternately succeeded and failed, each record with a
    /// small JSON payload; appended with `LogWriter`, index files written. Returns the trace id and record count.
    static func buildHugeTrace(in directory: String, components: Int) throws -> (TraceID, Int) {
        try? FileManager.default.removeItem(atPath: directory)
        let id = TraceID(high: 0x0123_4567_89ab_cdef, low: 0x0fed_cba9_8765_4321)
        let writer = try LogWriter.open(directory: directory, options: LogOptions(durability: .none))
        var time: Int64 = 1_795_000_000_000_000
        var chunk: [Record] = [
            Record(time: Timestamp(microseconds: time), traceID: id, body: .traceStart(TraceStart(tag: "huge")))
        ]
        for index in 0..<components {
            time += 7
            let body: RecordBody
            let step = index / 3
            switch index % 3 {
            case 0:
                body = .triggerInstance(
                    TriggerInstance(
                        id: "ti-\(step)", trigger: "core.st2.generic.actiontrigger", source: .actionTrigger,
                        payload: RawJSON(#"{"status":"succeeded","n":\#(step)}"#),
                        causedBy: step == 0 ? nil : EntityRef(type: .execution, id: "ex-\(step - 1)")))
            case 1:
                body = .ruleEnforcement(
                    RuleEnforcement(
                        id: "re-\(step)", ruleID: "rule-\(step % 10)", ruleRef: "pack.next",
                        triggerInstanceID: "ti-\(step)",
                        executionID: "ex-\(step)", causedBy: EntityRef(type: .triggerInstance, id: "ti-\(step)")))
            default:
                body = .executionAttempt(
                    ExecutionAttempt(
                        id: "ex-\(step)", action: "core.local", attempt: 1,
                        status: step % 2 == 0 ? "succeeded" : "failed",
                        input: RawJSON(#"{"cmd":"echo \#(step)"}"#), durationMs: 12,
                        failure: step % 2 == 0 ? nil : .terminal, causedBy: EntityRef(type: .rule, id: "re-\(step)")))
            }
            chunk.append(Record(time: Timestamp(microseconds: time), traceID: id, body: body))
            if chunk.count == 4096 {
                try writer.appendWritten(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try writer.appendWritten(chunk) }
        try writer.close()
        try LogReader(directory: directory, persistsIndexes: true).persistIndexes()
        return (id, components + 1)
    }

    /// Runs the `tracelog` binary next to this one with stdout to /dev/null: wall time, and peak RSS through GNU
    /// `time` when it is installed (-1 otherwise), or nil when the binary is missing or fails.
    ///
    /// The RSS cannot come from this process's own `wait4`: a child spawned from it starts its `ru_maxrss` at this
    /// process's (Linux carries the high-water mark across `exec`), which is hundreds of MB here. GNU `time`
    /// forks the measured process from a small one.
    static func runTracelog(_ arguments: [String]) throws -> ProcessRun? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tracelog").path
        guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        let gnuTime = "/usr/bin/time"
        let measuresRSS = FileManager.default.isExecutableFile(atPath: gnuTime)
        let rssFile = NSTemporaryDirectory() + "tracelog-compare-rss-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: rssFile) }
        let command = (measuresRSS ? [gnuTime, "-f", "%M", "-o", rssFile] : []) + [executable] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = nowNanoseconds()
        guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { return nil }
        let seconds = Double(nowNanoseconds() - start) / 1e9
        guard status == 0 else {
            log("  tracelog \(arguments.joined(separator: " ")) failed (status \(status))")
            return nil
        }
        let rss =
            (try? String(contentsOfFile: rssFile, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? -1
        return ProcessRun(seconds: seconds, maxRSSKiB: rss)
    }

    /// The key filter sections' bytes and keys over every index file, and the index files' bytes.
    static func filterSize(_ directory: String) -> (Int64, Int, Int64) {
        var bytes: Int64 = 0
        var keys = 0
        var total: Int64 = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasSuffix(".tlidx") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name), data.count >= 64 else {
                continue
            }
            total += Int64(data.count)
            let file = [UInt8](data)
            file.withUnsafeBytes { raw in
                let sections = Int(raw.loadUnaligned(fromByteOffset: 32, as: UInt32.self))
                for section in 0..<sections where 64 + section * 32 + 32 <= raw.count {
                    let entry = 64 + section * 32
                    guard raw.loadUnaligned(fromByteOffset: entry, as: UInt32.self) == 18 else { continue }
                    keys += Int(raw.loadUnaligned(fromByteOffset: entry + 4, as: UInt32.self))
                    bytes += Int64(raw.loadUnaligned(fromByteOffset: entry + 16, as: UInt64.self))
                }
            }
        }
        return (bytes, keys, total)
    }
}

extension ReadPath.Results {
    /// The report section.
    func markdown(records: Int, decompressCeiling: Double?) -> [String] {
        var out: [String] = []
        out.append("### Read path (issue 17; baselines from the same run)")
        out.append("")
        out.append("| measurement | TraceLog | baseline in this run | ratio |")
        out.append("|---|---:|---:|---:|")
        out.append(
            "| warm `trace get` p50, batch prefixes vs whole batches (\(prefixGet.samples.count) each) | "
                + "\(formatMicros(prefixGet.p50)) | \(formatMicros(wholeBatchGet.p50)) | \(formatRatio(wholeBatchGet.p50 / prefixGet.p50)) |"
        )
        out.append(
            "| warm `trace get` p99, batch prefixes vs whole batches | \(formatMicros(prefixGet.p99)) | "
                + "\(formatMicros(wholeBatchGet.p99)) | \(formatRatio(wholeBatchGet.p99 / prefixGet.p99)) |")
        out.append(
            "| full scan, zero-copy views (records/s) vs the decoding cursor | \(formatRate(viewScan)) | "
                + "\(formatRate(cursorScan)) | \(formatRatio(viewScan / cursorScan)) |")
        if let ceiling = decompressCeiling {
            out.append(
                "| full scan, zero-copy views vs LZ4 decompress alone | \(formatRate(viewScan)) | \(formatRate(ceiling)) | "
                    + "\(String(format: "%.0f%%", 100 * viewScan / ceiling)) |")
        }
        if let replayProcess {
            out.append("| `tracelog replay > /dev/null` (process, lines/s) | \(formatRate(replayProcess)) | | |")
        }
        if let summary {
            out.append(
                "| `trace get --summary` on \(hugeComponents) components (\(hugeRecords) records), process | "
                    + "\(summary.described) | | |")
        }
        if let firstPage {
            out.append(
                "| `trace get --limit 100` on the same trace, process | "
                    + "\(firstPage.described) | | |")
        }
        out.append(
            "| key filters: bytes per key, per record, share of index bytes | "
                + String(
                    format: "%.2f B/key, %.2f B/record, %.1f%%", Double(filterBytes) / Double(max(filterKeys, 1)),
                    Double(filterBytes) / Double(max(records, 1)),
                    100 * Double(filterBytes) / Double(max(indexBytes, 1)))
                + " | | |")
        return out
    }
}
