import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TraceLog
import TraceLogStorage
import TraceLogTestSupport

@testable import TraceLogServer

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, server: `/metrics` read by a strict parser, the access log as JSON lines through swift-log, 405 for
/// a wrong method, and a port in use named.
@Suite struct OperationsTests {
    @Test func metricsHaveHelpLogGaugesAnFsyncHistogramBuildInfoAndProcessFigures() async throws {
        let server = try TestServer(durability: .sync)
        try await server.test(.router) { client in
            _ = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            for path in ["/nope", "/also/not/here", "/v1/nothing"] {
                _ = try await client.execute(uri: path, method: .get)
            }
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try PrometheusText(response.text)
            for family in Set(metrics.types.keys) { #expect(metrics.help[family] != nil, "\(family) has HELP") }
            #expect(metrics.value("tracelog_log_records") == Double(server.recordCount))
            #expect(metrics.value("tracelog_log_traces") == 1)
            #expect(metrics.value("tracelog_log_segments") == 1)
            #expect((metrics.value("tracelog_log_disk_bytes") ?? 0) > 0)
            #expect(metrics.value("tracelog_log_oldest_record_timestamp_seconds") == 1_795_341_600)
            #expect(metrics.value("tracelog_log_newest_record_timestamp_seconds") == 1_795_341_602)
            let syncs = try #require(metrics.value("tracelog_fsync_total"))
            #expect(syncs >= 1)
            #expect(metrics.value("tracelog_fsync_duration_seconds_count") == syncs)
            #expect(metrics.types["tracelog_fsync_duration_seconds"] == "histogram")
            #expect(metrics.value("tracelog_build_info", ["version": TraceLogVersion.current]) == 1)
            #expect((metrics.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
            #expect((metrics.value("process_open_fds") ?? 0) > 0)
            #expect(metrics.value("process_cpu_seconds_total") != nil)
            let unmatched = metrics.samples.filter {
                $0.name == "tracelog_http_requests_total" && $0.labels["status"] == "404"
            }
            #expect(unmatched.map { $0.labels["route"] } == ["unmatched"], "404s of unknown paths share one label")
            #expect(unmatched.first?.value == 3)
        }
    }

    /// The opt-in check with Python's `prometheus_client` (TRACELOG_PROMETHEUS_CLIENT=1; `pip install
    /// prometheus_client`): the reference parser reads every family.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TRACELOG_PROMETHEUS_CLIENT"] == "1"))
    func pythonsPrometheusClientParsesTheMetrics() async throws {
        let server = try TestServer()
        let text = try await server.test(.router) { client in
            _ = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            return try await client.execute(uri: "/metrics", method: .get).text
        }
        let parser = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sys; from prometheus_client.parser import text_string_to_metric_families as f; "
                    + "print(len(list(f(sys.stdin.read()))))",
            ], stdin: text)
        #expect(parser.status == 0, "\(parser.stderr)")
        #expect((Int(parser.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10)
    }

    @Test func aWrongMethodGets405WithAllow() async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            for (method, path, allow) in [
                (HTTPRequest.Method.delete, "/v1/traces", "GET"), (.post, "/metrics", "GET"),
                (.get, "/v1/events", "POST"),
                (.put, "/v1/traces/0123456789abcdef0123456789abcdef", "GET"), (.get, "/v1/webhooks/github", "POST"),
            ] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow)
                #expect(
                    response.object["error"] as? String
                        == "method \(method.rawValue) is not allowed on \(path); use \(allow)")
            }
            #expect(try await client.execute(uri: "/v1/nothing", method: .delete).status == .notFound)
        }
    }

    @Test func theAccessLogIsOneJSONObjectPerRequest() async throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "tracelog.access") { label in
            JSONLinesLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        let server = try TestServer(configure: { $0.accessLog = logger })
        try await server.test(.router) { client in
            _ = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            _ = try await client.execute(uri: "/v1/traces?limit=1", method: .get)
            _ = try await client.execute(uri: "/nope", method: .get)
        }
        let entries = try lines.withLock { $0 }.map { line in
            #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(entries.count == 3)
        #expect(entries.map { $0["method"] as? String } == ["POST", "GET", "GET"])
        #expect(entries.map { $0["route"] as? String } == ["/v1/events", "/v1/traces", "unmatched"])
        #expect(entries.map { $0["status"] as? String } == ["200", "200", "404"])
        #expect(entries.allSatisfy { $0["logger"] as? String == "tracelog.access" && $0["level"] as? String == "info" })
        #expect(entries.allSatisfy { Double($0["duration_ms"] as? String ?? "") != nil })
        #expect(Int(entries[1]["bytes"] as? String ?? "") ?? 0 > 0, "the body's length")
        #expect(entries[1]["path"] as? String == "/v1/traces")
    }

    @Test func aPortInUseIsNamed() async throws {
        // Hold a port with a plain listening socket.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(bound == 0)
        #expect(listen(socket, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let server = try TestServer(configure: { $0.port = port })
        defer { try? FileManager.default.removeItem(atPath: server.directory) }
        do {
            try await server.server.run()
            Issue.record("the server started on a port in use")
        } catch {
            #expect("\(error)".contains("port \(port) on 127.0.0.1 is already in use"), "\(error)")
        }
    }
}
