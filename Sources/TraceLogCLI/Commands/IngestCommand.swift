import ArgumentParser
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogOTLP
import TraceLogStorage

/// `tracelog ingest [FILE|-]`: runs the input through the library's ingest pipeline and prints what it did.
///
/// A bad line is reported on stderr as `FILE: line N: <reason>` (`line N: <reason>` for stdin) and writes nothing;
/// valid lines are stored. Ends with `N ingested, M rejected` (plus `, K duplicates skipped` when trigger instances
/// already recorded with the same content were sent again) and exit status 1 if anything was rejected. If the
/// input cannot be read or the log fails part way, says why and where the stored input ends.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Append events from a file or stdin.")

    @OptionGroup var log: LogLocation
    @OptionGroup var durability: DurabilityOption
    @Argument(help: "The input file, or - for stdin.") var file = "-"
    @Option(help: "Input format: native (JSON lines), stroma, selinon, st2 (st2 trace get -j), otlp (OTLP/JSON).")
    var format = "native"
    @Flag(name: .customLong("stop-on-error"), help: "Stop at the first bad line (lines before it are kept).")
    var stopOnError = false
    @Flag(help: "Show a progress line on stderr (the default when stderr is a terminal).")
    var progress = false
    @Flag(help: "No progress line, even on a terminal.")
    var quiet = false

    func run() async throws {
        try await reportingFailures {
            guard let inputFormat = IngestFormat(rawValue: format) else {
                throw CLIUsageError("--format \(format) is not supported; use native, stroma, selinon, st2 or otlp")
            }
            let descriptor = file == "-" ? 0 : open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw CLIError("cannot open \(file): \(String(cString: strerror(errno)))") }
            defer { if descriptor != 0 { close(descriptor) } }
            let store = try WritableTraceStore.open(
                directory: log.path, options: LogOptions(durability: try durability.parsed()))
            let name = file == "-" ? "stdin" : file
            for line in store.recoveryReport.summary { printError(line) }
            // Rejections name the input file, unless it is stdin.
            var pipeline = IngestPipeline(store: store, stopOnError: stopOnError) { [file] in
                printError(file == "-" ? $0 : "\(file): \($0)")
            }
            if progress || (!quiet && isatty(STDERR_FILENO) != 0) {
                pipeline.progress = ProgressLine(totalBytes: Self.size(of: descriptor)).show
            }
            let summary: IngestSummary
            do throws(IngestPipelineError) {
                // OTLP/JSON lines are read by TraceLogOTLP's reader; the other formats by TraceLogIngest's.
                summary =
                    inputFormat == .otlp
                    ? try await pipeline.runOTLP(fileDescriptor: descriptor, name: name)
                    : try await pipeline.run(inputFormat, fileDescriptor: descriptor, name: name)
            } catch {
                try? store.close()
                ProgressLine.clear(if: pipeline.progress != nil)
                printError("error: \(error.reason)")
                print("\(error.summary.counts) (\(error.summary.lastStored(unit: inputFormat.unitName)))")
                throw ExitCode.failure
            }
            try store.close()
            ProgressLine.clear(if: pipeline.progress != nil)
            print(summary.counts)
            if summary.rejected > 0, summary.ingested == 0, inputFormat == .native { Self.hint(descriptor, file) }
            if summary.rejected > 0 { throw ExitCode.failure }
        }
    }

    /// When no native line parsed, says which `--format` the file looks like (``FormatGuess``); a regular file
    /// only, since stdin cannot be read again.
    private static func hint(_ descriptor: Int32, _ file: String) {
        guard size(of: descriptor) != nil else { return }
        var prefix = [UInt8](repeating: 0, count: 64 << 10)
        let count = pread(descriptor, &prefix, prefix.count, 0)
        guard count > 0, let guess = FormatGuess.guess(Array(prefix[..<count])) else { return }
        printError("hint: \(file) looks like \(guess.looksLike); use --format \(guess.format)")
    }

    /// The size of a regular file (for the progress line's ETA); nil for pipes and terminals.
    private static func size(of descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}
