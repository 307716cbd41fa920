import Foundation
import TraceLog
import TraceLogStorage
import TraceLogWorkload

#if canImport(Glibc)
    import Glibc
#endif

/// `tracelog-compare --profile PHASE --records N [--segment-bytes B]`: prepares a small log, then runs one phase
/// inside `profiledPhase` (async phases) or `profiledBlock` (lookups), so that `valgrind --tool=callgrind
/// --collect-atstart=no --toggle-collect='*profiledPhase*'` (`'*profiledBlock*'` for lookups) measures only that
/// phase (or `perf record -g`, filtering stacks by a frame of the phase). Phases: ingest, append, replay, get,
/// get-page (`traceComponents`, what `tracelog trace get` calls), get-records (the storage lookup alone), get-seqs
/// (one batch per lookup), cold-get (30 lookups, each after dropping the page cache), cold-queries (the benchmark's three cold rows), open-get (30 opens, each
/// with its first lookup), list-tag, open.
enum Profile {
    /// With `keep`, the work directory stays, and a log left there by an earlier `--keep` run of the same size
    /// is used again instead of generating and ingesting the workload anew.
    /// `segmentBytes` (`--segment-bytes`) sets the segment size of the prepared log (default: 64 MiB).
    static func run(phase: String, records count: Int, work: String, keep: Bool, segmentBytes: Int64?) async throws {
        if phase == "huge-trace" {
            // Only the huge trace of the read-path rows, kept for a closer look (e.g. `/usr/bin/time -v tracelog …`).
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let (id, records) = try ReadPath.buildHugeTrace(in: work + "/huge.tracelog", components: count)
            log("\(records) records of trace \(id) in \(work)/huge.tracelog")
            return
        }
        let logDir = work + "/log"
        let marker = work + "/records-\(count)" + (segmentBytes.map { "-segment-\($0)" } ?? "")
        let reuse = keep && phase != "ingest" && FileManager.default.fileExists(atPath: marker)
        if !reuse {
            try? FileManager.default.removeItem(atPath: work)
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        }
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        if !reuse {
            let linesFile = work + "/events.jsonl"
            let descriptor = open(linesFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try WorkloadGenerator(configuration: WorkloadConfiguration(seed: 1)).writeLines(
                count: count, to: descriptor)
            close(descriptor)
            if phase == "ingest" {
                try await profiledPhase {
                    try await CLIPathIngest.run(
                        file: linesFile, directory: logDir, durability: .none, segmentBytes: segmentBytes)
                }
                return
            }
            _ = try await CLIPathIngest.run(
                file: linesFile, directory: logDir, durability: .none, segmentBytes: segmentBytes)
            FileManager.default.createFile(atPath: marker, contents: nil)
        } else {
            log("using the log of an earlier --keep run in \(logDir)")
        }
        var records: [Record] = []
        do {
            // In a scope of its own: a reader left open keeps the log's files mapped, and the kernel does not drop
            // mapped pages, so the cold phases would measure a warm cache.
            var cursor = try LogReader(directory: logDir).cursor()
            while let stored = try cursor.next() { records.append(stored.record) }
        }
        let ids = records.filter { $0.kind == .traceStart }.map(\.traceID)
        var random = SeededRandom(seed: 7)
        switch phase {
        case "append":
            let chunks = stride(from: 0, to: records.count, by: 4096).map {
                Array(records[$0..<min($0 + 4096, records.count)])
            }
            let directory = work + "/append"
            let writer = try LogWriter.open(directory: directory, options: LogOptions(durability: .none))
            try await profiledPhase { for chunk in chunks { try writer.appendWritten(chunk) } }
            try writer.close()
        case "replay":
            try await profiledPhase { for _ in 0..<10 { _ = try Replay.tracelog(logDir) } }
        case "get":
            let store = try TraceStore.openReadOnly(directory: logDir)
            let keys = try Self.getKeys(ids, store: store, random: &random)
            for key in keys { _ = try store.trace(key) }
            try profiledBlock { for _ in 0..<10 { for key in keys { _ = try store.trace(key) } } }
            try logLatencies(keys) { key in try store.trace(key)?.records.count ?? 0 }
        case "get-page":
            // What `tracelog trace get ID` and `GET /v1/traces/{id}` call: the whole trace as one page of components.
            let store = try TraceStore.openReadOnly(directory: logDir)
            let keys = try Self.getKeys(ids, store: store, random: &random)
            for key in keys { _ = try store.traceComponents(key, damage: .fail) }
            try profiledBlock {
                for _ in 0..<10 { for key in keys { _ = try store.traceComponents(key, damage: .fail) } }
            }
            try logLatencies(keys) { key in try store.traceComponents(key, damage: .fail).value?.total ?? 0 }
        case "get-records":
            let reader = try LogReader(directory: logDir)
            let keys = (0..<2000).map { _ in ids.randomElement(using: &random)! }
            var total = 0
            for key in keys { total += try reader.records(inTrace: key).count }
            log("records per trace: \(Double(total) / 2000)")
            try profiledBlock { for _ in 0..<10 { for key in keys { _ = try reader.records(inTrace: key) } } }
        case "cold-get":
            var samples = Latencies()
            var faults: [Int] = []
            var readKiB: [Int] = []
            for index in 0..<30 {
                ColdCache.evict([logDir])
                let store = try TraceStore.openReadOnly(directory: logDir)
                let before = IOCounters.now()
                let start = nowNanoseconds()
                _ = try store.trace(ids[(index * 7919) % ids.count])
                samples.add(nowNanoseconds() - start)
                let after = IOCounters.now()
                faults.append(after.majorFaults - before.majorFaults)
                readKiB.append((after.readBytes - before.readBytes) / 1024)
            }
            log(
                "cold trace get p50 \(samples.p50) p90 \(samples.percentile(90)); per query: major faults median "
                    + "\(faults.sorted()[faults.count / 2]), KiB read from storage median \(readKiB.sorted()[readKiB.count / 2])"
            )
        case "cold-queries":
            // PROFILE_BULK_LOG=1: on a log written as the benchmark's query log is (bulk `LogWriter.append` of the
            // records in chunks of 4,096, then `persistIndexes`), not through the ingest pipeline.
            var directory = logDir
            if ProcessInfo.processInfo.environment["PROFILE_BULK_LOG"] == "1" {
                directory = work + "/bulk"
                if !FileManager.default.fileExists(atPath: directory + "/done") {
                    try? FileManager.default.removeItem(atPath: directory)
                    var options = LogOptions(durability: .interval(milliseconds: 100))
                    if let segmentBytes { options.segmentMaxBytes = segmentBytes }
                    let writer = try LogWriter.open(directory: directory, options: options)
                    for start in stride(from: 0, to: records.count, by: 4096) {
                        try await writer.append(Array(records[start..<min(start + 4096, records.count)]))
                    }
                    try writer.close()
                    try LogReader(directory: directory, persistsIndexes: true).persistIndexes()
                    FileManager.default.createFile(atPath: directory + "/done", contents: nil)
                }
            }
            try coldQueries(records: records, logDir: directory)
        case "open-get":
            var samples = Latencies()
            for index in 0..<30 {
                let start = nowNanoseconds()
                let store = try TraceStore.openReadOnly(directory: logDir)
                _ = try store.trace(ids[(index * 7919) % ids.count])
                samples.add(nowNanoseconds() - start)
            }
            log("warm open + first trace get p50 \(samples.p50) p90 \(samples.percentile(90))")
        case "get-seqs":
            let reader = try LogReader(directory: logDir)
            let keys = (0..<2000).map { _ in ids.randomElement(using: &random)! }
            try profiledBlock { for _ in 0..<10 { for key in keys { _ = try reader.containsTrace(key) } } }
        case "list-tag":
            let store = try TraceStore.openReadOnly(directory: logDir)
            let tags = records.compactMap { record -> String? in
                if case .traceStart(let start) = record.body { return start.tag }
                return nil
            }
            let keys = (0..<200).map { _ in tags.randomElement(using: &random)! }
            try profiledBlock { for key in keys { _ = try store.listTraces(TraceQuery(tag: key)) } }
        case "readpath":
            let keys = (0..<2000).map { _ in ids.randomElement(using: &random)! }
            let results = try ReadPath.measure(
                directory: logDir, getKeys: keys, hugeTrace: 1_000_000, work: work, keepHugeTrace: keep)
            print(results.markdown(records: records.count, decompressCeiling: nil).joined(separator: "\n"))
        case "open":
            try await profiledPhase { for _ in 0..<30 { _ = try TraceStore.openReadOnly(directory: logDir) } }
        default:
            fatalError("unknown phase \(phase)")
        }
    }
}

extension Profile {
    /// The three cold rows of the benchmark (`trace get`, `trace list --trace-tag`, `trace list --execution`) on the
    /// benchmark's keys (drawn the same way, same seed), `PROFILE_COLD_SAMPLES` samples each (30), without SQLite:
    /// for trying a change of the cold read path in a minute instead of a whole benchmark run.
    static func coldQueries(records: [Record], logDir: String) throws {
        let keys = QueryKeys(records: records, queries: 2000, listQueries: 500)
        let (getKeys, tagKeys, executionKeys) = (keys.get, keys.tag, keys.execution)
        let samples = ProcessInfo.processInfo.environment["PROFILE_COLD_SAMPLES"].flatMap { Int($0) } ?? 30
        func measure(_ name: String, _ count: Int, _ query: (TraceStore, Int) throws -> Void) throws {
            var latencies = Latencies()
            var faults: [Int] = []
            var readKiB: [Int] = []
            var device = ColdReads()
            let deviceStat = DeviceReads.statFile(for: logDir)
            for index in 0..<min(samples, count) {
                ColdCache.evict([logDir])
                let deviceBefore = DeviceReads.now(deviceStat)
                let store = try TraceStore.openReadOnly(directory: logDir)
                let before = IOCounters.now()
                let start = nowNanoseconds()
                try query(store, index)
                latencies.add(nowNanoseconds() - start)
                let after = IOCounters.now()
                faults.append(after.majorFaults - before.majorFaults)
                readKiB.append((after.readBytes - before.readBytes) / 1024)
                if let deviceBefore, let deviceAfter = DeviceReads.now(deviceStat) {
                    device.add(deviceAfter - deviceBefore)
                }
            }
            log(
                "cold \(name): p50 \(String(format: "%.0f", latencies.p50)) µs, p90 "
                    + "\(String(format: "%.0f", latencies.percentile(90))) µs; per query: major faults median "
                    + "\(faults.sorted()[faults.count / 2]), KiB read median \(readKiB.sorted()[readKiB.count / 2]); "
                    + "device, open included: \(device.summary)")
        }
        try measure("trace get", getKeys.count) { store, index in _ = try store.trace(getKeys[index]) }
        try measure("trace list --trace-tag", tagKeys.count) { store, index in
            _ = try store.listTraces(TraceQuery(tag: tagKeys[index], limit: 50))
        }
        try measure("trace list --execution", executionKeys.count) { store, index in
            _ = try store.listTraces(TraceQuery(execution: executionKeys[index], limit: 50))
        }
    }

    /// 2,000 random trace ids; with `PROFILE_TRACE_RECORDS=N` in the environment, only traces of N records (the
    /// benchmark's p50 trace has 6 at 1M lines), so that instruction counts describe the median query.
    static func getKeys(_ ids: [TraceID], store: TraceStore, random: inout SeededRandom) throws -> [TraceID] {
        var candidates = ids
        if let size = ProcessInfo.processInfo.environment["PROFILE_TRACE_RECORDS"].flatMap({ Int($0) }) {
            candidates = try ids.filter { try store.reader.records(inTrace: $0).count == size }
            log("\(candidates.count) traces of \(size) records")
        }
        return (0..<2000).map { _ in candidates.randomElement(using: &random)! }
    }
}

@inline(never)
func profiledPhase(_ body: () async throws -> Void) async throws {
    let (_, seconds) = try await timedAsync(body)
    log("phase took \(String(format: "%.3f", seconds)) s")
}

/// ``profiledPhase(_:)`` for synchronous phases (the lookups): callgrind's `--toggle-collect='*profiledBlock*'`
/// measures exactly the body, which it cannot do across the suspension points of an async function (the async
/// marker's toggles fall on its partial functions, so it measured the wrong code).
@inline(never)
func profiledBlock(_ body: () throws -> Void) throws {
    let (_, seconds) = try timed(body)
    log("phase took \(String(format: "%.3f", seconds)) s")
}

/// Times `query` on each key, five rounds, after the profiled phase: the wall-clock percentiles the benchmark
/// reports (the phase's mean is dominated by the largest traces), and the median of what `query` counts.
func logLatencies(_ keys: [TraceID], _ query: (TraceID) throws -> Int) throws {
    var samples = Latencies()
    var sizes: [Int] = []
    for _ in 0..<5 {
        for key in keys {
            let start = nowNanoseconds()
            let size = try query(key)
            samples.add(nowNanoseconds() - start)
            sizes.append(size)
        }
    }
    log(
        "p50 \(String(format: "%.1f", samples.p50)) µs, p90 \(String(format: "%.1f", samples.percentile(90))) µs, "
            + "p99 \(String(format: "%.1f", samples.p99)) µs; median size \(sizes.sorted()[sizes.count / 2])")
}
