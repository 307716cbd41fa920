import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

@testable import TraceLogServer

@Suite("GET /v1/compare and GET /v1/history")
struct AnalysisRoutesTests {
    /// 10 baseline runs `base-N` and 10 candidate runs `cand-N` whose node `parse` is 1.5× slower.
    static var runs: String {
        var lines: [String] = []
        for (prefix, factor, hour) in [("base", 1.0, 0), ("cand", 1.5, 10)] {
            for index in 0..<10 {
                let time = "2026-11-22T\(hour + index < 10 ? "0" : "")\(hour + index):00:00Z"
                let tag = "\(prefix)-\(index)"
                let duration = (100 + Double(index % 5)) * factor
                lines.append(
                    #"{"type":"execution","id":"\#(tag).parse","time":"\#(time)","action":"parse","duration_ms":\#(duration),"trace":{"tag":"\#(tag)"}}"#
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func seed(_ client: any TestClientProtocol) async throws {
        let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: Self.runs))
        #expect(response.status == .ok)
    }

    @Test("compare returns the JSON of tracelog compare --json")
    func compare() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await seed(client)
            let response = try await client.execute(
                uri: "/v1/compare?baseline=tag:base-*&candidate=tag:cand-*&alpha=0.01&min_effect=0.05", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let expected = RunSetComparison(
                baseline: try server.store.runSet(RunSelector(parsing: "tag:base-*")),
                candidate: try server.store.runSet(RunSelector(parsing: "tag:cand-*")))
            #expect(response.text == expected.json.serialized() + "\n")
            #expect(response.object["regressions"] as? Int == 1)
            let narrowed = try await client.execute(
                uri: "/v1/compare?baseline=tag:*&candidate=tag:*&baseline_until=2026-11-22T09:00:00Z"
                    + "&candidate_since=2026-11-22T10:00:00Z",
                method: .get)
            #expect(narrowed.object["regressions"] as? Int == 1)
            #expect((narrowed.object["baseline"] as? [String: Any])?["runs"] as? Int == 10)
        }
    }

    @Test("format=html returns the self-contained report; history returns tracelog history --json")
    func htmlAndHistory() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await seed(client)
            let page = try await client.execute(
                uri: "/v1/compare?baseline=tag:base-*&candidate=tag:cand-*&format=html", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.hasPrefix("<!DOCTYPE html>") && page.text.contains("<svg"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let history = try await client.execute(uri: "/v1/history?runs=tag:*&node=parse", method: .get)
            #expect(history.status == .ok)
            let expected = try RunHistory(try server.store.runSet(RunSelector(parsing: "tag:*")), node: "parse")
            #expect(history.text == expected.json.serialized() + "\n")
            let nodes = try #require(history.object["nodes"] as? [[String: Any]])
            #expect((nodes.first?["change_points"] as? [[String: Any]])?.first?["index"] as? Int == 10)
        }
    }

    @Test("the viewer serves the compare page's script and style, and links to it")
    func viewer() async throws {
        let server = try TestServer()
        try await server.test { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.text.contains("/viewer/compare.js") && page.text.contains("id=\"compare-view\""))
            #expect(page.text.contains("compare with…"))
            for (file, type) in [("compare.js", "text/javascript"), ("compare.css", "text/css")] {
                let asset = try await client.execute(uri: "/viewer/\(file)", method: .get)
                #expect(asset.status == .ok, "\(file)")
                #expect(asset.headers[.contentType]?.hasPrefix(type) == true)
            }
        }
    }

    @Test(
        "bad requests are 400, empty selections 404, each with a message",
        arguments: [
            (
                "/v1/compare?baseline=tag:base-*", HTTPResponse.Status.badRequest,
                "query parameters baseline and candidate"
            ),
            ("/v1/compare?baseline=base&candidate=tag:cand-*", .badRequest, "invalid run selector \"base\""),
            ("/v1/compare?baseline=tag:base-*&candidate=tag:cand-*&alpha=x", .badRequest, "query parameter alpha"),
            (
                "/v1/compare?baseline=tag:base-*&candidate=tag:cand-*&alpha=3", .badRequest,
                "alpha: expected 0 < alpha < 1"
            ),
            ("/v1/compare?baseline=tag:nope-*&candidate=tag:cand-*", .notFound, "no runs match tag:nope-*"),
            ("/v1/compare?baseline=tag:base-*&candidate=tag:cand-*&format=pdf", .badRequest, "expected json or html"),
            ("/v1/history?runs=tag:*&node=nope", .badRequest, "no selected run recorded a duration for node nope"),
            ("/v1/history", .badRequest, "query parameter runs"),
            ("/v1/history?runs=tag:*&bogus=1", .badRequest, "unknown query parameter bogus"),
        ])
    func errors(uri: String, status: HTTPResponse.Status, message: String) async throws {
        let server = try TestServer()
        try await server.test { client in
            try await seed(client)
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == status)
            #expect((response.object["error"] as? String)?.contains(message) == true, "\(response.text)")
        }
    }
}
