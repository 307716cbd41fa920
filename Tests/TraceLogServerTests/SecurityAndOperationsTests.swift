import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

@Suite("bearer token, /healthz, /metrics, the viewer, errors")
struct SecurityAndOperationsTests {
    @Test("with a token every data route needs it (401 otherwise); /healthz stays open")
    func tokenRequired() async throws {
        let server = try TestServer(token: "s3cret")
        try await server.test(.live) { client in
            for (uri, method) in [
                ("/v1/traces", HTTPRequest.Method.get), ("/v1/events", .post), ("/v1/webhooks/x", .post),
                ("/metrics", .get), ("/v1/runs/x", .get), ("/v1/diff?a=1&b=2", .get), ("/nowhere", .get),
            ] {
                let response = try await client.execute(uri: uri, method: method, body: ByteBuffer(text: "{}"))
                #expect(response.status == .unauthorized, "\(method) \(uri)")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(response.object["error"] is String)
            }
            let wrong = try await client.execute(
                uri: "/v1/traces", method: .get, headers: [.authorization: "Bearer s3cre"])
            #expect(wrong.status == .unauthorized)
            let basic = try await client.execute(
                uri: "/v1/traces", method: .get, headers: [.authorization: "Basic s3cret"])
            #expect(basic.status == .unauthorized)
            let right = try await client.execute(
                uri: "/v1/traces", method: .get, headers: [.authorization: "Bearer s3cret"])
            #expect(right.status == .ok)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "ok")
            #expect(server.recordCount == 0)
        }
    }

    @Test(
        "constant-time comparison agrees with ==",
        arguments: [
            ("abc", "abc"), ("abc", "abd"), ("abc", "ab"), ("", ""), ("", "a"), ("token", "tokens"),
        ])
    func constantTimeEqual(lhs: String, rhs: String) {
        #expect(
            BearerTokenMiddleware<BasicRequestContext>.constantTimeEqual(Array(lhs.utf8), Array(rhs.utf8))
                == (lhs == rhs))
    }

    @Test("/metrics renders Prometheus text with ingest, fsync and per-route request metrics")
    func metrics() async throws {
        let server = try TestServer(durability: .sync)
        try await server.test { client in
            _ = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            _ = try await client.execute(uri: "/v1/traces", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains("tracelog_records_appended_total 5"))
            #expect(text.contains("tracelog_events_accepted_total 4"))
            #expect(text.contains("tracelog_ingest_batches_total 1"))
            #expect(text.contains("tracelog_fsync_total"))
            #expect(text.contains("tracelog_fsync_seconds_total"))
            #expect(text.contains(#"tracelog_http_requests_total{route="/v1/events",method="POST",status="200"} 1"#))
            #expect(text.contains("tracelog_http_request_duration_seconds_bucket"))
        }
    }

    @Test("the viewer's page and files are served from the bundle with a strict content security policy")
    func viewer() async throws {
        let server = try TestServer(token: "s3cret")
        try await server.test { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(page.text.contains("/viewer/viewer.js"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"))
            for file in ["viewer.js", "viewer.css"] {
                let asset = try await client.execute(uri: "/viewer/\(file)", method: .get)
                #expect(asset.status == .ok, "\(file)")
            }
            let missing = try await client.execute(uri: "/viewer/..%2FPackage.swift", method: .get)
            #expect(missing.status == .unauthorized || missing.status == .notFound)
        }
    }

    @Test("unknown routes and methods are JSON errors")
    func unknownRoute() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(uri: "/v2/nothing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.object["error"] is String)
        }
    }

    @Test("domain errors map to statuses without internal details")
    func errorMapping() {
        #expect(LogError.invalidArgument("bad").apiError.status == .badRequest)
        #expect(LogError.closed.apiError.status == .serviceUnavailable)
        let io = LogError.corruptSegment(segment: "/secret/path/0001.tlseg", reason: "bad magic").apiError
        #expect(io.status == .internalServerError)
        #expect(!io.message.contains("/secret"))
        let resolution = ResolutionError.causeNotFound(EntityRef(type: .rule, id: "r")).apiError
        #expect(resolution.status == .badRequest)
        #expect(resolution.message == "no trace found for rule r")
    }
}
