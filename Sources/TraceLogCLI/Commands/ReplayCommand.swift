import ArgumentParser
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogOTLP
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#endif

/// `tracelog replay`: records in recorded order as native JSON lines, so `replay | ingest` into an empty log
/// reproduces every trace, ids included.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Print records in recorded order as native JSON lines.")

    @OptionGroup var log: LogLocation
    @Option(help: "Only this trace (id, or a unique tag).") var trace: String?
    @Option(help: "Start at this sequence number.") var from: UInt64?
    @Option(help: "Stop before this sequence number.") var until: UInt64?
    @Flag(help: "Keep printing records as they are appended, like tail -f.") var follow = false

    func run() async throws {
        try await reportingFailures {
            let store = try log.openReadOnly()
            var output = LineOutput()
            let writer = NativeEventWriter()
            // Starts that retention carried forward are printed before their trace's first record.
            var order = ReplayOrder(reader: store.reader, from: from ?? 0)
            if let trace {
                guard let projection = try store.traceNamed(trace) else { throw CLIError("trace \(trace) not found") }
                for stored in projection.records where stored.seq >= (from ?? 0) && stored.seq < (until ?? .max) {
                    try output.write(stored, order: &order, with: writer)
                }
                try output.flush()
                return
            }
            if follow {
                for try await batch in store.reader.followBatches(from: from ?? 0) {
                    let seqs = batch.seqs.clamped(to: 0..<(until ?? .max))
                    try output.write(batch, seqs: seqs, order: &order, with: writer)
                    try output.flush()
                    if seqs.upperBound < batch.seqs.upperBound || seqs.upperBound == until { break }
                }
                return
            }
            // Lines are written from zero-copy record views: no `Record` is built per line.
            var scanner = store.reader.scanner(from: from ?? 0, to: until.map { min($0, store.reader.endSeq) })
            while let batch = try scanner.next() {
                try output.write(batch, seqs: batch.seqs, order: &order, with: writer)
            }
            try output.flush()
        }
    }
}

/// `tracelog export RUN|TRACE --format native|stroma|otlp`: one trace as native JSON lines (ingestible elsewhere), one
/// run exactly as Stroma's `to_json()` prints it (`tracelog ingest --format stroma` reads it back), or one trace as
/// an OTLP/JSON `ExportTraceServiceRequest` on one line (`tracelog ingest --format otlp` and any OTLP tool read it).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export one run or trace.")

    @OptionGroup var log: LogLocation
    @Argument(help: "The run or trace (id, tag, or Stroma run id).") var name: String
    @Option(help: "native (JSON lines), stroma (Stroma's to_json) or otlp (OTLP/JSON).") var format = "native"

    func run() async throws {
        try await reportingFailures {
            guard ["native", "stroma", "otlp"].contains(format) else {
                throw CLIUsageError("--format \(format) is not supported; use native, stroma or otlp")
            }
            if format == "otlp" {
                guard let trace = try log.openReadOnly().traceNamed(name) else {
                    throw CLIError("trace \(name) not found")
                }
                let tag = trace.tag
                print(OTLPExporter(mode: .trace, tag: { _ in tag }).json(for: trace.records))
                return
            }
            if format == "stroma" {
                guard let run = try log.openReadOnly().run(name) else { throw CLIError("run \(name) not found") }
                print(StromaExporter().json(for: run))
                return
            }
            let store = try log.openReadOnly()
            guard let trace = try store.traceNamed(name) else { throw CLIError("trace \(name) not found") }
            var output = LineOutput()
            var order = ReplayOrder(reader: store.reader)
            for stored in trace.records {
                try output.write(stored, order: &order, with: NativeEventWriter())
            }
            try output.flush()
        }
    }
}

/// `tracelog purge --before TIME`: retention by whole segments, on a log no server holds (a served log purges
/// itself: `serve --retention` or `POST /v1/purge`).
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Delete whole segments whose records are all older than a time.")

    @OptionGroup var log: LogLocation
    @Option(help: "Cut-off time: RFC 3339, a date (2026-11-01), or ago (30d).") var before: String
    @Flag(name: .customLong("dry-run"), help: "Say what would be deleted, and delete nothing.") var dryRun = false

    func run() async throws {
        try await reportingFailures {
            guard let cutoff = try parseTime(before, flag: "--before") else { return }
            if dryRun {
                let plan = try log.openReadOnly().reader.retentionPlan(before: cutoff)
                print(
                    "dry run: \(plan.segments.count) segments (\(plan.records) records) would be deleted"
                        + (plan.segments.isEmpty ? "" : ": " + plan.segments.joined(separator: ", "))
                        + "; the log would start at seq \(plan.startSeq)")
                if plan.segments.isEmpty, plan.activeSegmentHasOlderRecords { print(Self.activeSegmentNote) }
                return
            }
            let store: WritableTraceStore
            do {
                store = try WritableTraceStore.open(directory: log.path, options: LogOptions(durability: .sync))
            } catch LogError.locked {
                throw CLIError(
                    "log \(log.path) is held by another writer; if tracelog serve holds it, purge through the "
                        + #"server (POST /v1/purge {"before": "\#(before)"}) or run it with --retention"#)
            }
            let result = try await store.purge(before: cutoff)
            let plan = result.deletedSegments.isEmpty ? try store.reader.retentionPlan(before: cutoff) : nil
            try store.close()
            print(
                "\(result.deletedSegments.count) segments (\(result.deletedRecords) records) deleted; the log starts at "
                    + "seq \(result.startSeq)"
                    + (result.carriedTraceStarts > 0
                        ? "; \(result.carriedTraceStarts) trace starts carried forward for traces that continue" : ""))
            if let plan, plan.activeSegmentHasOlderRecords { print(Self.activeSegmentNote) }
        }
    }

    /// Why nothing was (or would be) deleted although records are older than the cut-off.
    static let activeSegmentNote =
        "nothing deleted: the records older than the cut-off are in the active segment, which retention never "
        + "deletes; it is sealed when it reaches its size limit, and a later purge deletes it then"
}

/// Buffers lines for stdout and writes them in large chunks.
struct LineOutput {
    private var buffer: [UInt8] = []
    private var steps: [ReplayOrder.Step] = []

    mutating func write(_ record: Record, with writer: NativeEventWriter) throws {
        writer.append(record, to: &buffer)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes `stored`, in the order `order` decides (see below).
    mutating func write(_ stored: StoredRecord, order: inout ReplayOrder, with writer: NativeEventWriter) throws {
        try order.forEachRecord(toPrint: stored) { writer.append($0, to: &buffer) }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the records of `batch` whose seqs are in `seqs`, from their views, in the order `order` decides
    /// (a trace start carried forward by retention before its trace's first record).
    mutating func write(
        _ batch: ScannedBatch, seqs: Range<UInt64>, order: inout ReplayOrder, with writer: NativeEventWriter
    ) throws {
        try order.steps(for: batch, seqs: seqs, into: &steps)
        var index = 0
        try batch.forEach { seq, view throws(RecordDecodingError) in
            guard seqs.contains(seq) else { return }
            defer { index += 1 }
            switch steps[index] {
            case .skip: return
            case .print: break
            case .printStartFirst(let start): writer.append(start, to: &buffer)
            }
            try writer.append(view, to: &buffer)
        }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the buffered lines to stdout straight from the buffer (no `Data` copy: a sixth of `replay` was
    /// copying its output once more); a failed write (a closed pipe, a full disk) is an error.
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CLIError("cannot write to standard output: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
