import ArgumentParser
import Foundation
import TraceLog
import TraceLogIngest
import TraceLogOTLP
import TraceLogStorage

/// `tracelog ingest [FILE|-]`: reads events, resolves their traces and appends them.
///
/// A bad line is reported on stderr as `FILE: line N: <reason>` (`line N: <reason>` for stdin) and writes nothing;
/// valid lines are stored. Ends with `N ingested, M rejected` and exit status 1 if anything was rejected.
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

    func run() async throws {
        try await reportingFailures {
            guard let inputFormat = IngestFormat(rawValue: format) else {
                throw CLIError("--format \(format) is not supported; use native, stroma, selinon, st2 or otlp")
            }
            let descriptor = file == "-" ? 0 : open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw CLIError("cannot open \(file): \(String(cString: strerror(errno)))") }
            defer { if descriptor != 0 { close(descriptor) } }
            let store = try TraceStore.open(
                directory: log.path, options: LogOptions(durability: try durability.parsed()))
            // Rejections name the input file, unless it is stdin.
            let report: (String) -> Void = { [file] in printError(file == "-" ? $0 : "\(file): \($0)") }
            if inputFormat != .native {
                var importer = ImportIngestor(store: store, stopOnError: stopOnError, report: report)
                if inputFormat == .otlp {  // OTLP/JSON lines: TraceLogOTLP's importer
                    try await importer.ingestOTLP(fileDescriptor: descriptor, name: file == "-" ? "stdin" : file)
                } else {
                    try await importer.ingest(
                        inputFormat, fileDescriptor: descriptor, name: file == "-" ? "stdin" : file)
                }
                try store.close()
                print("\(importer.ingested) ingested, \(importer.rejected) rejected")
                if importer.rejected > 0 { throw ExitCode.failure }
                return
            }
            var ingestor = LineIngestor(store: store, stopOnError: stopOnError, report: report)
            var reader = JSONLinesReader(fileDescriptor: descriptor, name: file == "-" ? "stdin" : file)
            let summary = try await ingestor.run(&reader)
            try store.close()
            print("\(summary.ingested) ingested, \(summary.rejected) rejected")
            if summary.rejected > 0 { throw ExitCode.failure }
        }
    }
}
