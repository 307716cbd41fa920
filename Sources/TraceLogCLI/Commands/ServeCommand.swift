import ArgumentParser
import Foundation
import TraceLog
import TraceLogServer
import TraceLogStorage

/// `tracelog serve`: the HTTP ingest and query server with the web trace viewer.
///
/// Loopback by default. SIGINT or SIGTERM stops it gracefully: requests in flight finish, then the log is
/// flushed and closed.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve HTTP ingest, queries, metrics and the web trace viewer.")

    @OptionGroup var log: LogLocation
    @OptionGroup var durability: DurabilityOption
    @Option(help: "The address to listen on (loopback by default).") var host = "127.0.0.1"
    @Option(help: "The TCP port (0: any free port).") var port = 8080
    @Option(help: "Require 'Authorization: Bearer TOKEN' on every route but /healthz (default: $TRACELOG_TOKEN).")
    var token: String?
    @Option(name: .customLong("max-body-bytes"), help: "Larger request bodies get 413 and write nothing.")
    var maximumBodyBytes = 8 << 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: expected 0 to 65535, got \(port)") }
        guard maximumBodyBytes > 0 else { throw ValidationError("--max-body-bytes: expected a positive size") }
        if let token = resolvedToken, token.isEmpty { throw ValidationError("--token must not be empty") }
    }

    private var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["TRACELOG_TOKEN"] }

    func run() async throws {
        try await reportingFailures {
            let mode = try durability.parsed()
            let store = try WritableTraceStore.open(directory: log.path, options: LogOptions(durability: mode))
            let configuration = ServerConfiguration(
                host: host, port: port, token: resolvedToken, maximumBodyBytes: maximumBodyBytes)
            let banner =
                "log \(log.path), durability \(mode), "
                + (configuration.token == nil ? "no token" : "bearer token required")
            let host = host
            try await TraceServer(store: store, configuration: configuration).run { boundPort in
                print("tracelog serve: listening on http://\(host):\(boundPort)/ (\(banner))")
                fflush(nil)
            }
        }
    }
}
