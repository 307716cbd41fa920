import ArgumentParser
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogStorage

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
                    try order.forEachRecord(toPrint: stored) { output.write($0, with: writer) }
                }
                output.flush()
                return
            }
            if follow {
                for try await stored in store.reader.follow(from: from ?? 0) {
                    if let until, stored.seq >= until { break }
                    try order.forEachRecord(toPrint: stored) { output.write($0, with: writer) }
                    output.flush()
                }
                return
            }
            var cursor = store.reader.cursor(from: from ?? 0, to: until.map { min($0, store.reader.endSeq) })
            while let stored = try cursor.next() {
                try order.forEachRecord(toPrint: stored) { output.write($0, with: writer) }
            }
            output.flush()
        }
    }
}

/// `tracelog export RUN|TRACE --format native|stroma`: one trace as native JSON lines (ingestible elsewhere), or
/// one run exactly as Stroma's `to_json()` prints it (`tracelog ingest --format stroma` reads it back).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export one run or trace.")

    @OptionGroup var log: LogLocation
    @Argument(help: "The run or trace (id, tag, or Stroma run id).") var name: String
    @Option(help: "native (JSON lines) or stroma (Stroma's to_json).") var format = "native"

    func run() async throws {
        try await reportingFailures {
            guard format == "native" || format == "stroma" else {
                throw CLIUsageError("--format \(format) is not supported; use native or stroma")
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
                try order.forEachRecord(toPrint: stored) { output.write($0, with: NativeEventWriter()) }
            }
            output.flush()
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

    mutating func write(_ record: Record, with writer: NativeEventWriter) {
        writer.append(record, to: &buffer)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
