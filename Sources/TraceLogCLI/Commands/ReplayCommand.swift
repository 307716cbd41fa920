import ArgumentParser
import Foundation
import TraceLog
import TraceLogIngest
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
            if let trace {
                guard let projection = try store.traceNamed(trace) else { throw CLIError("trace \(trace) not found") }
                for stored in projection.records where stored.seq >= (from ?? 0) && stored.seq < (until ?? .max) {
                    try output.write(stored.record, with: writer)
                }
                try output.flush()
                return
            }
            // Lines are written from zero-copy record views: no `Record` is built per line.
            if follow {
                for try await batch in store.reader.followBatches(from: from ?? 0) {
                    let seqs = batch.seqs.clamped(to: 0..<(until ?? .max))
                    try output.write(batch, seqs: seqs, with: writer)
                    try output.flush()
                    if seqs.upperBound < batch.seqs.upperBound || seqs.upperBound == until { break }
                }
                return
            }
            var scanner = store.reader.scanner(from: from ?? 0, to: until.map { min($0, store.reader.endSeq) })
            while let batch = try scanner.next() { try output.write(batch, seqs: batch.seqs, with: writer) }
            try output.flush()
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
                throw CLIError("--format \(format) is not supported; use native or stroma")
            }
            if format == "stroma" {
                guard let run = try log.openReadOnly().run(name) else { throw CLIError("run \(name) not found") }
                print(StromaExporter().json(for: run))
                return
            }
            guard let trace = try log.openReadOnly().traceNamed(name) else { throw CLIError("trace \(name) not found") }
            var output = LineOutput()
            for stored in trace.records { try output.write(stored.record, with: NativeEventWriter()) }
            try output.flush()
        }
    }
}

/// `tracelog purge --before TIME`: retention by whole segments.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Delete whole segments whose records are all older than a time.")

    @OptionGroup var log: LogLocation
    @Option(help: "RFC 3339 cut-off time.") var before: String

    func run() async throws {
        try await reportingFailures {
            guard let cutoff = try parseTime(before, flag: "--before") else { return }
            let writer = try LogWriter.open(directory: log.path)
            let result = try writer.deleteSegments(olderThan: cutoff)
            try writer.close()
            print(
                "\(result.deletedSegments.count) segments (\(result.deletedRecords) records) deleted; the log starts at seq \(result.startSeq)"
            )
        }
    }
}

/// Buffers lines for stdout and writes them in large chunks.
struct LineOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ record: Record, with writer: NativeEventWriter) throws {
        writer.append(record, to: &buffer)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the records of `batch` whose seqs are in `seqs`, from their views.
    mutating func write(_ batch: ScannedBatch, seqs: Range<UInt64>, with writer: NativeEventWriter) throws {
        try batch.forEach { seq, view throws(RecordDecodingError) in
            guard seqs.contains(seq) else { return }
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
