import Foundation
import TraceLogStorage

/// Everything one run measured, printed as markdown.
struct Report {
    struct Append {
        var mode: String
        var sqliteMode: String
        var tracelog: Double
        var sqlite: Double
    }

    struct Latency {
        var name: String
        var tracelogWarm = Latencies()
        var sqliteWarm = Latencies()
        var tracelogCold = Latencies()
        var sqliteCold = Latencies()
        /// Device reads of each cold query, the open included (its reads are waited for by the query).
        var tracelogColdReads = ColdReads()
        var sqliteColdReads = ColdReads()
    }

    struct Replay {
        var cold: Bool
        var tracelog: Double
        var sqlite: Double
    }

    struct Open {
        var records: Int
        var segments = 0
        var warmOpen = 0.0
        var warmFirst = 0.0
        var warmSQLite = 0.0
        var coldOpen = 0.0
        var coldFirst = 0.0
        var coldSQLite = 0.0
        /// `TraceStore.open` for writing (recovery scan of the last segment, then the reader), warm cache.
        var writableOpen = 0.0
        /// Writing the index files after the bulk append (what `TraceStore.close` does), seconds.
        var indexWrite = 0.0
    }

    let arguments: Compare.Arguments
    var lines = 0
    var jsonLineBytes = 0
    var records = 0
    var traces = 0
    var distinctTags = 0
    var ingestTraceLog = 0.0
    var ingestTraceLogRecords = 0.0
    var ingestBinary: Double?
    /// Peak resident set size of the `tracelog ingest` process, in bytes.
    var ingestBinaryPeakRSS: Int?
    /// Only the ingest rows were measured (`--ingest-only`).
    var ingestOnly = false
    /// Lines per second read and parsed (JSONLinesReader + NativeEventParser, one thread, no store).
    var parseOnly = 0.0
    var ingestSQLite = 0.0
    var append: [Append] = []
    var tracelogStats: LogStatistics!
    var tracelogDirectoryBytes: Int64 = 0
    var sqliteBytes: Int64 = 0
    var ceilingDecompress = Ceiling.Result(seconds: 1, bytes: 0)
    var ceilingCompress = Ceiling.Result(seconds: 1, bytes: 0)
    var ceilingCopy = Ceiling.Result(seconds: 1, bytes: 0)
    var ceilingRecords = 0
    var latencies: [Latency] = []
    var replay: [Replay] = []
    var open: [Open] = []
    var readPath: ReadPath.Results?

    init(arguments: Compare.Arguments) {
        self.arguments = arguments
    }

    /// A SQLite figure, or "not measured" when the run skipped it (`--sqlite-queries-only`).
    private func measured(_ value: Double, _ format: (Double) -> String) -> String {
        value > 0 ? format(value) : "not measured"
    }

    private func recordsPerSecond(_ result: Ceiling.Result) -> Double { Double(ceilingRecords) / result.seconds }

    /// The ingest rows alone (`--ingest-only`), each ratio against a baseline of the same run.
    private func ingestRows() -> [String] {
        var out = ["### Ingest (higher is better)", "", "| measurement | events/s | baseline in this run | ratio |", "|---|---:|---:|---:|"]
        out.append("| parse only (read + native parser, one thread; lines/s) | \(formatRate(parseOnly)) | | |")
        out.append(
            "| ingest JSON lines, CLI path in-process (`interval`) | \(formatRate(ingestTraceLog)) | parse only \(formatRate(parseOnly)) | "
                + "\(String(format: "%.0f%%", 100 * ingestTraceLog / parseOnly)) |")
        if let binary = ingestBinary {
            out.append(
                "| `tracelog ingest --durability interval FILE` (process) | \(formatRate(binary)) | parse only \(formatRate(parseOnly)) | "
                    + "\(String(format: "%.0f%%", 100 * binary / parseOnly)) |")
            if ingestSQLite > 0 {
                let sqlite = ingestSQLite
                out.append("| … against SQLite's ingest of the same lines | | SQLite \(formatRate(sqlite)) | \(formatRatio(binary / sqlite)) |")
            }
        }
        if let rss = ingestBinaryPeakRSS { out.append("| peak RSS of `tracelog ingest` (MB) | \(rss / 1_000_000) | | |") }
        return out
    }

    func markdown() -> String {
        var out: [String] = []
        let compress = recordsPerSecond(ceilingCompress)
        let decompress = recordsPerSecond(ceilingDecompress)
        out.append("## TraceLog vs SQLite (GRDB) vs the ceiling — \(lines) lines, \(records) records")
        out.append("")
        out.append("Machine: \(Machine.describe()). Swift release build; one process run; wall-clock varies ±40% between runs, compare within a run.")
        out.append(
            "Workload: `WorkloadGenerator(seed: \(arguments.seed))`, mixed StackStorm/Stroma/Selinon traffic, \(lines) JSON lines"
                + " (\(String(format: "%.0f", Double(jsonLineBytes) / Double(max(lines, 1)))) B/line) → \(records) records"
                + " (\(traces) traces, \(distinctTags) distinct tags). Appends and transactions: \(arguments.appendChunk) records each."
                + (arguments.segmentBytes.map { " Segments of \($0 >> 20) MiB (`--segment-bytes`)." } ?? ""))
        out.append("")
        if ingestOnly { return (out + ingestRows()).joined(separator: "\n") }
        out.append("### Throughput (higher is better)")
        out.append("")
        out.append("| measurement | TraceLog | SQLite (GRDB, WAL) | TraceLog ÷ SQLite | ceiling | TraceLog ÷ ceiling |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for row in append {
            out.append(
                "| append via library, `\(row.mode)` (SQLite `synchronous=\(row.sqliteMode)`) | \(formatRate(row.tracelog)) | "
                    + "\(measured(row.sqlite, formatRate)) | \(measured(row.sqlite) { formatRatio(row.tracelog / $0) }) | "
                    + "LZ4 compress \(formatRate(compress)) | "
                    + "\(String(format: "%.0f%%", 100 * row.tracelog / compress)) |")
        }
        out.append(
            "| ingest JSON lines, CLI path in-process (`interval`; events/s) | \(formatRate(ingestTraceLog)) | "
                + "\(measured(ingestSQLite, formatRate)) | \(measured(ingestSQLite) { formatRatio(ingestTraceLog / $0) }) | memcpy of the lines \(formatRate(Double(lines) / (Double(jsonLineBytes) / ceilingCopy.bytesPerSecond))) | "
                + "\(String(format: "%.1f%%", 100 * ingestTraceLog / (Double(lines) / (Double(jsonLineBytes) / ceilingCopy.bytesPerSecond)))) |")
        out.append("| parse only (read + native parser, one thread; lines/s) | \(formatRate(parseOnly)) | | | | |")
        if let binary = ingestBinary {
            out.append(
                "| `tracelog ingest --durability interval FILE` (process, events/s) | \(formatRate(binary)) | "
                    + "\(measured(ingestSQLite, formatRate)) | \(measured(ingestSQLite) { formatRatio(binary / $0) }) | "
                    + "parse only \(formatRate(parseOnly)) | \(String(format: "%.0f%%", 100 * binary / parseOnly)) |")
        }
        if let rss = ingestBinaryPeakRSS {
            out.append("| peak RSS of `tracelog ingest` (MB) | \(rss / 1_000_000) | | | | |")
        }
        for row in replay {
            out.append(
                "| full replay, decoded records (\(row.cold ? "cold" : "warm") cache) | \(formatRate(row.tracelog)) | \(formatRate(row.sqlite)) | "
                    + "\(formatRatio(row.tracelog / row.sqlite)) | LZ4 decompress \(formatRate(decompress)) | "
                    + "\(String(format: "%.0f%%", 100 * row.tracelog / decompress)) |")
        }
        out.append("")
        out.append("### Query latency, in-process (lower is better; SQLite ÷ TraceLog > 1 means TraceLog is faster)")
        out.append("")
        out.append("| query | cache | TraceLog p50 | TraceLog p99 | SQLite p50 | SQLite p99 | SQLite ÷ TraceLog (p50, p99) |")
        out.append("|---|---|---:|---:|---:|---:|---:|")
        for row in latencies {
            for (cache, t, s) in [("warm", row.tracelogWarm, row.sqliteWarm), ("cold", row.tracelogCold, row.sqliteCold)]
            where !t.samples.isEmpty {
                out.append(
                    "| `\(row.name)` | \(cache) (\(t.samples.count)) | \(formatMicros(t.p50)) | \(formatMicros(t.p99)) | "
                        + "\(formatMicros(s.p50)) | \(formatMicros(s.p99)) | \(formatRatio(s.p50 / t.p50)), \(formatRatio(s.p99 / t.p99)) |")
            }
        }
        out.append("")
        out.append("Device reads of a cold query, open included (medians; read requests the block device completed, KiB):")
        out.append("")
        for row in latencies where !row.tracelogColdReads.requests.isEmpty {
            out.append(
                "- `\(row.name)`: TraceLog \(row.tracelogColdReads.summary); SQLite \(row.sqliteColdReads.summary)")
        }
        out.append("")
        out.append("Cold: \(ColdCache.method); the store or database is then opened (not timed) and one query timed.")
        out.append("`trace list` returns the newest 50 matching traces with all their records, and the total count.")
        out.append("")
        out.append("### Open time vs log size (median; lower is better)")
        out.append("")
        out.append("| records | segments | cache | TraceLog open | TraceLog open + first `trace get` | SQLite open + first `trace get` | TraceLog open for writing |")
        out.append("|---:|---:|---|---:|---:|---:|---:|")
        for row in open {
            out.append(
                "| \(row.records) | \(row.segments) | warm | \(formatMicros(row.warmOpen)) | \(formatMicros(row.warmFirst)) | \(formatMicros(row.warmSQLite)) | \(formatMicros(row.writableOpen)) |")
            out.append(
                "| \(row.records) | \(row.segments) | cold | \(formatMicros(row.coldOpen)) | \(formatMicros(row.coldFirst)) | \(formatMicros(row.coldSQLite)) | |")
        }
        out.append("")
        out.append(
            "Each log was appended with `LogWriter`, then its index files written once (sealed segments' indexes and the "
                + "last segment's checkpoint, what `TraceStore.close` does): "
                + open.map { "\($0.records) records in \(String(format: "%.0f", $0.indexWrite * 1000)) ms" }
                .joined(separator: ", ") + ". Without a checkpoint, opening scans the whole last segment.")
        out.append("")
        out.append("### Bytes on disk (lower is better)")
        out.append("")
        let stats = tracelogStats!
        let n = Double(max(records, 1))
        let tracelogPerRecord = Double(stats.segmentBytes + stats.indexBytes) / n
        let sqlitePerRecord = Double(sqliteBytes) / n
        out.append("| what | bytes/record | total MB | vs SQLite |")
        out.append("|---|---:|---:|---:|")
        out.append(
            "| TraceLog, segments + index files (`statistics()`) | \(String(format: "%.1f", tracelogPerRecord)) | "
                + "\(String(format: "%.1f", Double(stats.segmentBytes + stats.indexBytes) / 1e6)) | \(String(format: "%.2f", tracelogPerRecord / sqlitePerRecord)) |")
        out.append(
            "| … of which index files | \(String(format: "%.1f", Double(stats.indexBytes) / n)) | \(String(format: "%.1f", Double(stats.indexBytes) / 1e6)) | |")
        out.append(
            "| TraceLog directory, every file | \(String(format: "%.1f", Double(tracelogDirectoryBytes) / n)) | "
                + "\(String(format: "%.1f", Double(tracelogDirectoryBytes) / 1e6)) | \(String(format: "%.2f", Double(tracelogDirectoryBytes) / Double(sqliteBytes))) |")
        out.append(
            "| SQLite database, five indexes, after `wal_checkpoint(TRUNCATE)` | \(String(format: "%.1f", sqlitePerRecord)) | "
                + "\(String(format: "%.1f", Double(sqliteBytes) / 1e6)) | 1.00 |")
        out.append(
            "| the JSON lines (input) | \(String(format: "%.1f", Double(jsonLineBytes) / n)) | \(String(format: "%.1f", Double(jsonLineBytes) / 1e6)) | "
                + "\(String(format: "%.2f", Double(jsonLineBytes) / Double(sqliteBytes))) |")
        out.append(
            "| TraceLog uncompressed record bytes (binary codec) | \(String(format: "%.1f", Double(stats.uncompressedBytes) / n)) | "
                + "\(String(format: "%.1f", Double(stats.uncompressedBytes) / 1e6)) | |")
        out.append("")
        out.append(
            "LZ4 compression ratio (uncompressed ÷ stored payload): \(String(format: "%.2f", stats.compressionRatio)); "
                + "\(stats.segments) segments, \(stats.batches) batches (\(String(format: "%.0f", Double(records) / Double(max(stats.batches, 1)))) records/batch).")
        out.append("")
        out.append("### Ceiling, on the same bytes (the \(ceilingRecords) records' uncompressed batch payloads, \(String(format: "%.1f", Double(ceilingDecompress.bytes) / 1e6)) MB; best of 3)")
        out.append("")
        out.append("| operation | MB/s | records/s equivalent |")
        out.append("|---|---:|---:|")
        out.append("| LZ4 compress (`LZ4_compress_default`, per stored batch) | \(formatMBps(ceilingCompress.bytesPerSecond)) | \(formatRate(compress)) |")
        out.append("| LZ4 decompress (`LZ4_decompress_safe`) | \(formatMBps(ceilingDecompress.bytesPerSecond)) | \(formatRate(decompress)) |")
        out.append("| memcpy | \(formatMBps(ceilingCopy.bytesPerSecond)) | \(formatRate(recordsPerSecond(ceilingCopy))) |")
        out.append("")
        if let readPath {
            out.append(contentsOf: readPath.markdown(records: records, decompressCeiling: decompress))
            out.append("")
        }
        out.append("### Targets (issues 6 and 17)")
        out.append("")
        out.append(contentsOf: targets())
        return out.joined(separator: "\n")
    }

    private func targets() -> [String] {
        var lines: [String] = []
        func mark(_ ok: Bool) -> String { ok ? "met" : "**missed**" }
        for row in append where row.mode != "sync" {
            lines.append(
                "- append ≥ 1,000,000 records/s in `\(row.mode)`: \(formatRate(row.tracelog)) — \(mark(row.tracelog >= 1e6)); "
                    + "≥ 20× SQLite: "
                    + measured(row.sqlite) { "\(formatRatio(row.tracelog / $0)) — \(mark(row.tracelog >= 20 * $0))" })
        }
        if let get = latencies.first(where: { $0.name == "trace get ID" }) {
            let warm = get.tracelogWarm
            lines.append(
                "- `trace get` warm p50 ≤ 20 µs: \(formatMicros(warm.p50)) — \(mark(warm.p50 <= 20)); p99 ≤ 200 µs: \(formatMicros(warm.p99)) — "
                    + "\(mark(warm.p99 <= 200)); never slower than SQLite: p50 \(formatRatio(get.sqliteWarm.p50 / warm.p50)), "
                    + "p99 \(formatRatio(get.sqliteWarm.p99 / warm.p99)) — \(mark(warm.p50 <= get.sqliteWarm.p50 && warm.p99 <= get.sqliteWarm.p99))"
                    + (records < 10_000_000 ? " (target is stated for 10M records; this run has \(records))" : ""))
        }
        if let last = open.last {
            lines.append(
                "- open ≤ 50 ms: open \(formatMicros(last.warmOpen)) warm / \(formatMicros(last.coldOpen)) cold, open + first query "
                    + "\(formatMicros(last.warmFirst)) warm / \(formatMicros(last.coldFirst)) cold at \(last.records) records — "
                    + "\(mark(last.coldFirst <= 50_000))" + (records < 10_000_000 ? " (target is stated for 10M records)" : ""))
        }
        let ratio = Double(tracelogStats!.segmentBytes + tracelogStats!.indexBytes) / Double(sqliteBytes)
        lines.append("- bytes on disk ≤ 1/4 of SQLite's: \(String(format: "%.2f", ratio)) of SQLite's — \(mark(ratio <= 0.25))")
        if let warm = replay.first(where: { !$0.cold }) {
            lines.append("- replay ≥ 2,000,000 records/s decoded: \(formatRate(warm.tracelog)) warm — \(mark(warm.tracelog >= 2e6))")
        }
        for row in latencies {
            guard !row.tracelogCold.samples.isEmpty else { continue }
            let ratio = row.sqliteCold.p50 / row.tracelogCold.p50
            lines.append(
                "- cold `\(row.name)` at least as fast as SQLite (goal 2×): p50 \(formatRatio(ratio)) — "
                    + "\(mark(ratio >= 1))\(ratio >= 2 ? ", goal met" : "")")
        }
        if let get = latencies.first(where: { $0.name == "trace get ID" }) {
            lines.append("- `trace get` warm p99 ≤ 150 µs: \(formatMicros(get.tracelogWarm.p99)) — \(mark(get.tracelogWarm.p99 <= 150))")
        }
        if let readPath {
            lines.append(
                "- replay ≥ 2,000,000 records/s in the library, zero-copy scan: \(formatRate(readPath.viewScan)) — "
                    + mark(readPath.viewScan >= 2e6))
            if let process = readPath.replayProcess {
                lines.append("- `tracelog replay > /dev/null` ≥ 1,000,000 lines/s: \(formatRate(process)) — \(mark(process >= 1e6))")
            }
            if let summary = readPath.summary {
                let megabytes = Double(summary.maxRSSKiB) / 1024
                lines.append(
                    "- `trace get --summary` on \(readPath.hugeComponents) components < 1 s and < 200 MB RSS: "
                        + String(format: "%.2f s, %.0f MB", summary.seconds, megabytes) + " — "
                        + mark(summary.seconds < 1 && megabytes >= 0 && megabytes < 200))
            }
        }
        return lines
    }
}
