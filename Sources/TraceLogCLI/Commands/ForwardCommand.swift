import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TraceLog
import TraceLogForward
import TraceLogServer
import TraceLogStorage

/// `tracelog forward --otlp URL`: ships the log to an OTLP/HTTP endpoint (a Collector, Tempo, Jaeger, another
/// `tracelog serve`) in sequence order, at least once, resuming from the cursor `<log>/forward/<name>.cursor`.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Ship the log to an OTLP/HTTP endpoint (protobuf), at least once, resuming from a cursor.")

    @OptionGroup var log: LogLocation
    @Option(name: .customLong("otlp"), help: "The OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces.")
    var endpoint: String
    @Flag(help: "Send what the log holds now, then exit (default: keep following new records until SIGINT/SIGTERM).")
    var once = false
    @Option(help: "The forward's name: each name keeps its own cursor.") var name = "default"
    @Option(name: .customLong("header"), help: "An extra request header K=V (repeatable), e.g. Authorization=Bearer T.")
    var headers: [String] = []
    @Option(name: .customLong("batch-records"), help: "The most records per request.") var batchRecords = 1024
    @Option(name: .customLong("max-retries"), help: "Retries of one batch before giving up (default: for ever).")
    var maximumRetries: Int?
    @Option(
        name: .customLong("cursor-interval"),
        help: "Milliseconds between cursor saves while forwarding (0: after every batch); a crash resends at most that."
    )
    var cursorInterval = 1000
    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics at http://HOST:PORT/metrics.")
    var metricsPort: Int?
    @Option(name: .customLong("metrics-host"), help: "The address of the metrics endpoint.") var metricsHost =
        "127.0.0.1"

    func validate() throws {
        guard batchRecords > 0 else { throw ValidationError("--batch-records: expected a positive number") }
        if let maximumRetries, maximumRetries < 0 { throw ValidationError("--max-retries: expected 0 or more") }
        guard cursorInterval >= 0 else { throw ValidationError("--cursor-interval: expected 0 or more milliseconds") }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port: expected 0 to 65535, got \(metricsPort)")
        }
        _ = try parsedHeaders()
    }

    /// `K=V` pairs (the first `=` splits); `K: V` is accepted too.
    func parsedHeaders() throws -> [(name: String, value: String)] {
        try headers.map { text in
            guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ValidationError("--header \(text): expected NAME=VALUE")
            }
            let name = text[..<separator].trimmingCharacters(in: .whitespaces)
            let value = text[text.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
                throw ValidationError("--header \(text): expected NAME=VALUE with a name")
            }
            return (name, value)
        }
    }

    func run() async throws {
        try await reportingFailures {
            let store = try log.openReadOnly()
            let configuration = ForwardConfiguration(
                endpoint: endpoint, name: name, headers: try parsedHeaders(), batchRecords: batchRecords,
                follow: !once, retry: RetryPolicy(maximumRetries: maximumRetries),
                cursorInterval: .milliseconds(cursorInterval))
            let forwarder: OTLPForwarder
            do { forwarder = try OTLPForwarder(store: store, configuration: configuration) } catch let error
                as ForwardError
            {
                throw CLIError(error.description)
            }
            do {
                if once {
                    try await forwarder.forward()
                } else {
                    try await follow(forwarder)
                }
            } catch let error as ForwardError {
                printSummary(forwarder.metrics.statistics)
                throw CLIError("error: \(error)")
            }
            printSummary(forwarder.metrics.statistics)
        }
    }

    /// Runs the forwarder (and the metrics endpoint) until SIGINT or SIGTERM.
    private func follow(_ forwarder: OTLPForwarder) async throws {
        let logger = Logger(label: "tracelog.forward")
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: forwarder, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if let metricsPort {
            let metrics = forwarder.metrics
            let endpoint = MetricsEndpoint(host: metricsHost, port: metricsPort) { metrics.exposition() }
            let host = metricsHost
            services.append(
                .init(
                    service: endpoint.makeApplication { port in
                        print("tracelog forward: metrics on http://\(host):\(port)/metrics")
                        fflush(nil)
                    }))
        }
        print("tracelog forward: following \(log.path) to \(endpoint) as \"\(name)\"")
        fflush(nil)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ForwardError {
            throw error
        } catch let error as ServiceGroupError {
            throw CLIError("error: \(error)")
        }
    }

    private func printSummary(_ statistics: ForwardStatistics) {
        let cursor = statistics.cursor.map(String.init) ?? "none"
        print(
            "forwarded \(statistics.recordsForwarded) records (\(statistics.spansSent) spans) in \(statistics.requests) requests, \(statistics.retries) retries, \(statistics.rejectedSpans) spans rejected by the endpoint; cursor \(cursor), lag \(statistics.lagRecords) records"
        )
    }
}
