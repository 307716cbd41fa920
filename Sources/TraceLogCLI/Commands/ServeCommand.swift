import ArgumentParser
import Foundation
import Logging
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
    @Option(
        help:
            "Require 'Authorization: Bearer TOKEN' on every route but /healthz and /readyz (default: $TRACELOG_TOKEN).")
    var token: String?
    @Option(name: .customLong("max-body-bytes"), help: "Larger request bodies get 413 and write nothing.")
    var maximumBodyBytes = 8 << 20
    @Option(
        name: .customLong("allowed-host"),
        help: "Also answer requests whose Host header names this host (repeatable; * answers any).")
    var allowedHosts: [String] = []
    @Flag(name: .customLong("insecure-no-auth"), help: "Allow listening beyond loopback without a token.")
    var insecureNoAuth = false
    @Option(
        name: .customLong("header-timeout"),
        help: "Close a connection whose request head takes longer than this (e.g. 10s, 500ms).")
    var headerTimeout = "10s"
    @Option(
        name: .customLong("idle-timeout"),
        help: "Close a connection idle this long between requests or while sending a body (e.g. 60s, 5m).")
    var idleTimeout = "60s"
    @Option(name: .customLong("max-connections"), help: "Connections served at once; more get 503 and are closed.")
    var maximumConnections = 1024
    @Option(help: "Delete segments whose records are all older than this, while serving (e.g. 30d, 12h).")
    var retention: String?
    @Option(name: .customLong("retention-interval"), help: "How often retention runs (default 60s).")
    var retentionInterval = "60s"
    @Option(
        name: .customLong("access-log"),
        help: "Where the access log goes, one JSON object per request: stderr, stdout, off, or a file to append to.")
    var accessLog = "stderr"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: expected 0 to 65535, got \(port)") }
        let configuration = try serverConfiguration()
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    private var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["TRACELOG_TOKEN"] }

    /// The server configuration the flags spell; throws a message naming the flag when one does not parse.
    private func serverConfiguration() throws -> ServerConfiguration {
        func duration(_ text: String, _ flag: String) throws -> Duration {
            guard let value = DurationText.parse(text) else {
                throw ValidationError("\(flag): expected a duration like 10s, 500ms, 5m, 12h or 30d, got \(text)")
            }
            return value
        }
        return ServerConfiguration(
            host: host, port: port, token: resolvedToken, maximumBodyBytes: maximumBodyBytes,
            allowedHosts: allowedHosts, insecureNoAuth: insecureNoAuth,
            headerTimeout: try duration(headerTimeout, "--header-timeout"),
            idleTimeout: try duration(idleTimeout, "--idle-timeout"), maximumConnections: maximumConnections,
            retention: try retention.map { try duration($0, "--retention") },
            retentionInterval: try duration(retentionInterval, "--retention-interval"),
            accessLog: try accessLogger())
    }

    /// The access logger `--access-log` names: JSON lines on stderr, stdout or appended to a file; nil for off.
    private func accessLogger() throws -> Logger? {
        let handle: FileHandle
        switch accessLog {
        case "off": return nil
        case "stderr": handle = FileHandle.standardError
        case "stdout": handle = FileHandle.standardOutput
        default:
            if !FileManager.default.fileExists(atPath: accessLog) {
                _ = FileManager.default.createFile(atPath: accessLog, contents: nil)
            }
            guard let file = FileHandle(forWritingAtPath: accessLog) else {
                throw ValidationError("--access-log: cannot open \(accessLog) for writing")
            }
            file.seekToEndOfFile()
            handle = file
        }
        let output = SendableFileHandle(handle)
        return Logger(label: "tracelog.access") { label in
            JSONLinesLogHandler(label: label) { line in output.write(line) }
        }
    }

    func run() async throws {
        try await reportingFailures {
            let mode = try durability.parsed()
            let configuration = try serverConfiguration()
            let existed = FileManager.default.fileExists(atPath: log.path)
            let store = try WritableTraceStore.open(directory: log.path, options: LogOptions(durability: mode))
            if !existed { printError("tracelog serve: created the log directory \(log.path) (it did not exist)") }
            let banner =
                "log \(log.path), durability \(mode), "
                + (configuration.token == nil ? "no token" : "bearer token required")
                + (configuration.retention.map { ", retention \(retention ?? "\($0)")" } ?? "")
            if configuration.token == nil, configuration.bindsBeyondLoopback {
                printError(
                    "warning: serving \(host) without a token (--insecure-no-auth): anyone who can reach it can "
                        + "read and write the log")
            }
            let host = host
            try await TraceServer(store: store, configuration: configuration).run { boundPort in
                print("tracelog serve: listening on http://\(host):\(boundPort)/ (\(banner))")
                fflush(nil)
            }
        }
    }
}

/// A file handle that may be written from any thread (FileHandle's write is one `write(2)` per call).
private final class SendableFileHandle: @unchecked Sendable {
    private let handle: FileHandle
    init(_ handle: FileHandle) { self.handle = handle }
    func write(_ text: String) { handle.write(Data(text.utf8)) }
}
