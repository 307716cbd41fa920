import Foundation
import GRDB
import TraceLog
import TraceLogIngest
import TraceLogStorage
import TraceLogWorkload

#if canImport(Glibc)
    import Glibc
#endif

/// `tracelog-compare [--records N] [--work DIR] [--seed S] [--queries Q] [--cold-samples C] [--keep]`
///
/// Generates N JSON lines of mixed traffic once (fixed seed), then measures every row in this one process:
/// TraceLog, SQLite through GRDB on the same records and queries, and the LZ4/memcpy ceiling on the same bytes.
/// Prints a markdown report on stdout; progress on stderr.
@main
struct Compare {
    struct Arguments {
        var records = 1_000_000
        var work = NSTemporaryDirectory() + "tracelog-compare"
        var seed: UInt64 = 1
        var queries = 2000
        var listQueries = 500
        var coldSamples = 100
        var keep = false
        var appendChunk = 4096
        var profile: String?
        /// SQLite only where the query rows need it (the `interval`-mode inserts): for 10M-record runs, where the
        /// other three SQLite insert passes take most of an hour on these machines.
        var sqliteQueriesOnly = false
        /// Components of the huge trace of the read-path rows (0: skip them).
        var hugeTrace = 1_000_000
        /// Segment size of the appended logs that queries run on (default: the library's 64 MiB). Smaller
        /// segments give a 1M-record log the segment count of a 10M-record one (the cold rows depend on it).
        var segmentBytes: Int64?
        /// `--ingest-only`: generate the lines, then measure only the ingest rows (parse only, the CLI path in
        /// process, the `tracelog ingest` process and its peak RSS, SQLite's ingest unless
        /// `--sqlite-queries-only`): issue 13's targets at 10M lines in minutes instead of an hour.
        var ingestOnly = false

        init(_ arguments: [String]) {
            var iterator = arguments.dropFirst().makeIterator()
            while let argument = iterator.next() {
                func value() -> String {
                    guard let next = iterator.next() else { fatalError("\(argument) needs a value") }
                    return next
                }
                switch argument {
                case "--records": records = Int(value().replacingOccurrences(of: "_", with: ""))!
                case "--work": work = value()
                case "--seed": seed = UInt64(value())!
                case "--queries": queries = Int(value())!
                case "--list-queries": listQueries = Int(value())!
                case "--cold-samples": coldSamples = Int(value())!
                case "--append-chunk": appendChunk = Int(value())!
                case "--keep": keep = true
                case "--sqlite-queries-only": sqliteQueriesOnly = true
                case "--ingest-only": ingestOnly = true
                case "--profile": profile = value()
                case "--huge-trace": hugeTrace = Int(value().replacingOccurrences(of: "_", with: ""))!
                case "--segment-bytes": segmentBytes = Int64(value().replacingOccurrences(of: "_", with: ""))!
                case "-h", "--help":
                    print(
                        "usage: tracelog-compare [--records N (1000000)] [--work DIR] [--seed S (1)] [--queries Q (2000)]"
                            + " [--list-queries Q (500)] [--cold-samples C (100)] [--append-chunk K (4096)] [--keep] [--sqlite-queries-only] [--ingest-only] [--huge-trace N (1000000)] [--segment-bytes B]"
                            + " [--profile ingest|append|replay|get|get-page|get-records|get-seqs|cold-get|cold-queries|open-get|list-tag|open|readpath]")
                    exit(0)
                default: fatalError("unknown argument \(argument)")
                }
            }
        }
    }

    static func main() async throws {
        let arguments = Arguments(CommandLine.arguments)
        if let phase = arguments.profile {
            try await Profile.run(
                phase: phase, records: arguments.records, work: arguments.work + "-profile", keep: arguments.keep,
                segmentBytes: arguments.segmentBytes)
            return
        }
        var report = Report(arguments: arguments)
        try await run(arguments, &report)
        print(report.markdown())
    }

    static func run(_ arguments: Arguments, _ report: inout Report) async throws {
        let work = arguments.work
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !arguments.keep { try? FileManager.default.removeItem(atPath: work) } }

        // 1. The workload, once.
        let linesFile = work + "/events.jsonl"
        log("generating \(arguments.records) lines (seed \(arguments.seed)) into \(linesFile)")
        let descriptor = open(linesFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let generator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: arguments.seed))
        let statistics = try generator.writeLines(count: arguments.records, to: descriptor)
        close(descriptor)
        report.jsonLineBytes = statistics.bytes + statistics.lines
        report.lines = statistics.lines

        // 2. Ingest through the CLI path (in-process), then through the binary, then SQLite's equivalent.
        let ingestDir = work + "/ingest.tracelog"
        log("ingest, CLI path in-process (interval)")
        let ((ingested, logRecords), ingestSeconds) = try await timedAsync {
            try await CLIPathIngest.run(file: linesFile, directory: ingestDir, durability: .interval(milliseconds: 100))
        }
        report.records = Int(logRecords)
        report.ingestTraceLog = Double(ingested) / ingestSeconds
        report.ingestTraceLogRecords = Double(logRecords) / ingestSeconds
        log("  \(ingested) events → \(logRecords) records in \(String(format: "%.2f", ingestSeconds)) s")
        let binaryDir = work + "/ingest-binary.tracelog"
        log("parse only")
        let (parsed, parseSeconds) = try timed { try CLIPathIngest.parseOnly(file: linesFile) }
        report.parseOnly = Double(parsed) / parseSeconds
        if let (seconds, peakRSS) = try CLIPathIngest.runBinary(file: linesFile, directory: binaryDir) {
            report.ingestBinary = Double(ingested) / seconds
            report.ingestBinaryPeakRSS = peakRSS
            log("  tracelog ingest binary: \(String(format: "%.2f", seconds)) s, peak RSS \(peakRSS / 1_000_000) MB")
        }
        try? FileManager.default.removeItem(atPath: binaryDir)
        if !arguments.sqliteQueriesOnly {
            log("ingest into SQLite (same reader and parser, NORMAL)")
            let sqliteIngestPath = work + "/ingest.sqlite"
            let (sqliteRows, sqliteIngestSeconds) = try timed {
                try SQLiteIngest.run(file: linesFile, path: sqliteIngestPath)
            }
            report.ingestSQLite = Double(ingested) / sqliteIngestSeconds
            log("  \(sqliteRows) rows in \(String(format: "%.2f", sqliteIngestSeconds)) s")
            SQLiteBaseline.remove(sqliteIngestPath)
        }

        if arguments.ingestOnly {
            report.ingestOnly = true
            return
        }

        // 3. The records TraceLog resolved: the same input for every append and insert below.
        log("reading back the \(logRecords) records")
        var records: [Record] = []
        records.reserveCapacity(Int(logRecords))
        do {
            let reader = try LogReader(directory: ingestDir)
            var cursor = reader.cursor()
            while let stored = try cursor.next() { records.append(stored.record) }
        }
        try FileManager.default.removeItem(atPath: ingestDir)
        let chunks = stride(from: 0, to: records.count, by: arguments.appendChunk).map {
            Array(records[$0..<min($0 + arguments.appendChunk, records.count)])
        }

        // 4. Appends through the library in each durability mode, each next to SQLite's insert of the same records.
        let modes: [(String, Durability, SQLiteBaseline.Synchronous)] = [
            ("sync", .sync, .full), ("interval", .interval(milliseconds: 100), .normal), ("none", .none, .off),
        ]
        let logDir = work + "/log.tracelog"
        let sqlitePath = work + "/log.sqlite"
        for (name, durability, synchronous) in modes {
            let directory = work + "/append-\(name).tracelog"
            log("append \(name)")
            let (_, seconds) = try await timedAsync {
                var options = LogOptions(durability: durability)
                if let bytes = arguments.segmentBytes { options.segmentMaxBytes = bytes }
                let writer = try LogWriter.open(directory: directory, options: options)
                for chunk in chunks { try await writer.append(chunk) }
                try writer.close()
            }
            let path = work + "/append-\(name).sqlite"
            log("  \(String(format: "%.2f", seconds)) s; SQLite synchronous=\(synchronous.rawValue)")
            var sqliteRate = 0.0  // not measured
            if !arguments.sqliteQueriesOnly || name == "interval" {
                let (_, sqliteSeconds) = try timed {
                    let database = try SQLiteBaseline(path: path, synchronous: synchronous, create: true)
                    try database.insert(records[...], firstSeq: 0, chunk: arguments.appendChunk)
                    try database.close()
                }
                log("  SQLite \(String(format: "%.2f", sqliteSeconds)) s")
                sqliteRate = Double(records.count) / sqliteSeconds
            }
            report.append.append(
                Report.Append(
                    mode: name, sqliteMode: synchronous.rawValue, tracelog: Double(records.count) / seconds,
                    sqlite: sqliteRate))
            if name == "interval" {
                try FileManager.default.moveItem(atPath: directory, toPath: logDir)
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try FileManager.default.moveItem(atPath: path + suffix, toPath: sqlitePath + suffix)
                }
            } else {
                try FileManager.default.removeItem(atPath: directory)
                SQLiteBaseline.remove(path)
            }
        }
        do {
            let database = try SQLiteBaseline(path: sqlitePath, synchronous: .normal, create: false)
            try database.checkpoint()
            try database.close()
        }
        // What `TraceStore.close` does after ingest: index files for sealed segments, a checkpoint for the last.
        let (_, logIndexSeconds) = try timed {
            try LogReader(directory: logDir, persistsIndexes: true).persistIndexes()
        }

        // 5. Sizes.
        let stats = try LogReader(directory: logDir).statistics()
        report.tracelogStats = stats
        report.tracelogDirectoryBytes = diskBytes(logDir)
        report.sqliteBytes = SQLiteBaseline.remove(dryRun: sqlitePath)

        // 6. The ceiling on the same bytes.
        log("ceiling: LZ4 and memcpy on the stored batches")
        let ceiling = try Ceiling(directory: logDir)
        let (decompress, payloads) = ceiling.decompress()
        report.ceilingDecompress = decompress
        report.ceilingCompress = Ceiling.compress(payloads)
        report.ceilingCopy = Ceiling.copy(payloads)
        report.ceilingRecords = ceiling.records

        // 7. Query keys, fixed seed, from what was ingested.
        let keys = QueryKeys(records: records, queries: arguments.queries, listQueries: arguments.listQueries)
        report.traces = keys.traces
        report.distinctTags = keys.distinctTags
        let (getKeys, tagKeys, executionKeys) = (keys.get, keys.tag, keys.execution)
        let limit = 50  // `trace list` shows 50 by default
        records = []

        // 8. Latencies, warm and cold.
        try Queries.measure(
            "trace get ID", tracelogDirectory: logDir, sqlitePath: sqlitePath, keys: getKeys, cold: arguments.coldSamples,
            report: &report,
            tracelog: { store, id in _ = try store.trace(id) },
            sqlite: { database, db, id in _ = try database.traceRows(db, id) })
        try Queries.measure(
            "trace list --trace-tag T", tracelogDirectory: logDir, sqlitePath: sqlitePath, keys: tagKeys,
            cold: arguments.coldSamples, report: &report,
            tracelog: { store, tag in _ = try store.listTraces(TraceQuery(tag: tag, limit: limit)) },
            sqlite: { database, db, tag in _ = try database.listByTag(db, tag, limit: limit) })
        try Queries.measure(
            "trace list --execution E", tracelogDirectory: logDir, sqlitePath: sqlitePath, keys: executionKeys,
            cold: arguments.coldSamples, report: &report,
            tracelog: { store, execution in _ = try store.listTraces(TraceQuery(execution: execution, limit: limit)) },
            sqlite: { database, db, execution in _ = try database.listByExecution(db, execution, limit: limit) })

        // 9. The read-path rows (issue 17), each with a baseline from this run.
        report.readPath = try ReadPath.measure(
            directory: logDir, getKeys: getKeys, hugeTrace: arguments.hugeTrace, work: work)

        // 10. Full replay / scan, warm then cold.
        for cold in [false, true] {
            log("replay \(cold ? "cold" : "warm")")
            if !cold {  // warm the page cache
                _ = try Replay.tracelog(logDir)
                _ = try SQLiteBaseline(path: sqlitePath, synchronous: .normal, create: false).scanAll()
            }
            if cold { ColdCache.evict([logDir]) }
            let (count, seconds) = try timed { try Replay.tracelog(logDir) }
            if cold { ColdCache.evict([sqlitePath, sqlitePath + "-wal"]) }
            let (rows, sqliteSeconds) = try timed {
                try SQLiteBaseline(path: sqlitePath, synchronous: .normal, create: false).scanAll()
            }
            precondition(count == report.records && rows == report.records, "replay counts differ")
            report.replay.append(
                Report.Replay(cold: cold, tracelog: Double(count) / seconds, sqlite: Double(rows) / sqliteSeconds))
        }

        // 11. Open time as a function of log size: prefixes of N/100 and N/10 records, and all N.
        try await OpenTime.measure(
            work: work, fullLog: (logDir, logIndexSeconds), fullSQLite: sqlitePath, chunks: chunks, report: &report)
    }
}

enum Replay {
    /// Decodes every record with a fresh reader; returns the count.
    static func tracelog(_ directory: String) throws -> Int {
        let reader = try LogReader(directory: directory)
        var cursor = reader.cursor()
        var count = 0
        var checksum: Int64 = 0
        while let stored = try cursor.next() {
            count += 1
            checksum &+= stored.record.time.microseconds
        }
        if checksum == 42 { print("") }
        return count
    }
}

enum Queries {
    static func measure<Key>(
        _ name: String, tracelogDirectory: String, sqlitePath: String, keys: [Key], cold: Int, report: inout Report,
        tracelog: (TraceStore, Key) throws -> Void, sqlite: (SQLiteBaseline, Database, Key) throws -> Void
    ) throws {
        log("\(name): \(keys.count) warm queries each, \(cold) cold")
        var row = Report.Latency(name: name)
        // Warm: one untimed pass over every key, then the timed pass.
        do {
            let store = try TraceStore.openReadOnly(directory: tracelogDirectory)
            for key in keys { try tracelog(store, key) }
            for key in keys {
                let start = nowNanoseconds()
                try tracelog(store, key)
                row.tracelogWarm.add(nowNanoseconds() - start)
            }
        }
        do {
            let database = try SQLiteBaseline(path: sqlitePath, synchronous: .normal, create: false)
            try database.queue.inDatabase { db in
                for key in keys { try sqlite(database, db, key) }
                for key in keys {
                    let start = nowNanoseconds()
                    try sqlite(database, db, key)
                    row.sqliteWarm.add(nowNanoseconds() - start)
                }
            }
            try database.close()
        }
        // Cold: empty page cache, freshly opened store (opening is not timed), one query. The device reads are
        // counted from before the open: a TraceLog open asks for pages that the query then waits for.
        let tracelogDevice = DeviceReads.statFile(for: tracelogDirectory)
        let sqliteDevice = DeviceReads.statFile(for: sqlitePath)
        for key in keys.prefix(cold) {
            ColdCache.evict([tracelogDirectory])
            do {
                let before = DeviceReads.now(tracelogDevice)
                let store = try TraceStore.openReadOnly(directory: tracelogDirectory)
                let start = nowNanoseconds()
                try tracelog(store, key)
                row.tracelogCold.add(nowNanoseconds() - start)
                if let before, let after = DeviceReads.now(tracelogDevice) { row.tracelogColdReads.add(after - before) }
            }
            ColdCache.evict([sqlitePath, sqlitePath + "-wal"])
            let before = DeviceReads.now(sqliteDevice)
            let database = try SQLiteBaseline(path: sqlitePath, synchronous: .normal, create: false)
            try database.queue.inDatabase { db in
                let start = nowNanoseconds()
                try sqlite(database, db, key)
                row.sqliteCold.add(nowNanoseconds() - start)
            }
            if let before, let after = DeviceReads.now(sqliteDevice) { row.sqliteColdReads.add(after - before) }
            try database.close()
        }
        report.latencies.append(row)
    }
}

enum OpenTime {
    static func measure(
        work: String, fullLog: (String, Double), fullSQLite: String, chunks: [[Record]], report: inout Report
    ) async throws {
        let total = chunks.reduce(0) { $0 + $1.count }
        var sizes: [(Int, String, String, Double)] = []
        for divisor in [100, 10] where total / divisor >= 10_000 {
            let count = total / divisor
            let directory = work + "/open-\(count).tracelog"
            let path = work + "/open-\(count).sqlite"
            log("building \(count)-record logs for open time")
            let writer = try LogWriter.open(directory: directory, options: LogOptions(durability: .none))
            var written = 0
            let database = try SQLiteBaseline(path: path, synchronous: .off, create: true)
            for chunk in chunks where written < count {
                let part = chunk.prefix(count - written)
                try writer.appendWritten(Array(part))
                try database.insert(part, firstSeq: Int64(written), chunk: part.count)
                written += part.count
            }
            try writer.close()
            let (_, indexSeconds) = try timed {
                try LogReader(directory: directory, persistsIndexes: true).persistIndexes()
            }
            try database.checkpoint()
            try database.close()
            sizes.append((count, directory, path, indexSeconds))
        }
        sizes.append((total, fullLog.0, fullSQLite, fullLog.1))
        for (count, directory, path, indexSeconds) in sizes {
            // The probe: the first trace of this prefix, so every size answers the same kind of question.
            let first = try LogReader(directory: directory).record(at: 0).record.traceID
            var row = Report.Open(records: count)
            row.indexWrite = indexSeconds
            var writable = Latencies()
            for _ in 0..<5 {
                let start = nowNanoseconds()
                let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
                writable.add(nowNanoseconds() - start)
                try store.close()
            }
            row.writableOpen = writable.p50
            for cold in [false, true] {
                var openOnly = Latencies()
                var tracelogFirst = Latencies()
                var sqliteFirst = Latencies()
                for _ in 0..<(cold ? 3 : 7) {
                    if cold { ColdCache.evict([directory]) }
                    var start = nowNanoseconds()
                    let store = try TraceStore.openReadOnly(directory: directory)
                    openOnly.add(nowNanoseconds() - start)
                    _ = try store.trace(first)
                    tracelogFirst.add(nowNanoseconds() - start)
                    if cold { ColdCache.evict([path, path + "-wal"]) }
                    start = nowNanoseconds()
                    let database = try SQLiteBaseline(path: path, synchronous: .normal, create: false)
                    _ = try database.queue.inDatabase { db in try database.traceRows(db, first) }
                    sqliteFirst.add(nowNanoseconds() - start)
                    try database.close()
                }
                if cold {
                    row.coldOpen = openOnly.p50
                    row.coldFirst = tracelogFirst.p50
                    row.coldSQLite = sqliteFirst.p50
                } else {
                    row.warmOpen = openOnly.p50
                    row.warmFirst = tracelogFirst.p50
                    row.warmSQLite = sqliteFirst.p50
                }
            }
            row.segments = try LogReader(directory: directory).segmentNames.count
            report.open.append(row)
        }
    }
}

extension SQLiteBaseline {
    /// Bytes of the database files (name kept short at the call site).
    static func remove(dryRun path: String) -> Int64 {
        diskBytes(path) + diskBytes(path + "-wal")
    }
}
