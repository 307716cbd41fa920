import ArgumentParser
import TraceLogWorkload

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tracelog-workload`: writes a deterministic native JSON-lines workload to stdout or a file.
struct TraceLogWorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracelog-workload",
        abstract: "Write a deterministic mix of StackStorm, Stroma and Selinon native event lines.",
        discussion: "The same --seed, --count and --mix give byte-identical output on every run and machine."
    )

    @Option(help: "Seed of the pseudo-random generator.")
    var seed: UInt64

    @Option(help: "Number of lines to write.")
    var count: Int

    @Option(help: "Line shares, e.g. stackstorm=5,stroma=3,selinon=2 (kinds left out get 0).")
    var mix: String = WorkloadMix.mixed.description

    @Option(help: "Write to this file (created or truncated) instead of stdout.")
    var output: String?

    @Flag(help: "Print a summary to stderr when done.")
    var verbose = false

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        do {
            _ = try WorkloadMix(parsing: mix)
        } catch {
            throw ValidationError("--mix: \(error)")
        }
    }

    func run() throws {
        let configuration = WorkloadConfiguration(seed: seed, mix: try WorkloadMix(parsing: mix))
        let fileDescriptor = try openOutput()
        defer { if output != nil { close(fileDescriptor) } }

        let started = monotonicSeconds()
        let statistics = try WorkloadGenerator(configuration: configuration)
            .writeLines(count: count, to: fileDescriptor)
        if verbose {
            printSummary(statistics, configuration: configuration, seconds: monotonicSeconds() - started)
        }
    }

    private func openOutput() throws -> Int32 {
        guard let output else { return STDOUT_FILENO }
        let fileDescriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fileDescriptor >= 0 else {
            throw ValidationError("cannot open \(output): \(String(cString: strerror(errno)))")
        }
        return fileDescriptor
    }

    private func printSummary(_ statistics: WorkloadStatistics, configuration: WorkloadConfiguration, seconds: Double) {
        let average = statistics.lines == 0 ? 0 : statistics.bytes / statistics.lines
        let rate = seconds > 0 ? Int(Double(statistics.lines) / seconds) : 0
        let scenarios = WorkloadKind.allCases.map { "\($0) \(statistics.scenariosByKind[$0.rawValue])" }
        let lines = WorkloadKind.allCases.map { "\($0) \(statistics.linesByKind[$0.rawValue])" }
        let summary = """
            tracelog-workload: seed \(configuration.seed), mix \(configuration.mix)
              lines \(statistics.lines) (\(lines.joined(separator: ", ")))
              bytes \(statistics.bytes + statistics.lines) (average line \(average) B + newline)
              trigger_instance \(statistics.triggerInstances), rule_enforcement \(statistics.ruleEnforcements), \
            execution \(statistics.executions), flow_event \(statistics.flowEvents)
              scenarios started: \(scenarios.joined(separator: ", "))
              \(rate) lines/s

            """
        writeToStandardError(summary)
    }

    private func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// Writes text to stderr without Foundation.
func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

TraceLogWorkloadCommand.main()
