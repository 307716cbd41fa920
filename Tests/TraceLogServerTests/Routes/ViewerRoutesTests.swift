import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

/// Issue 18: the routes the viewer reads (component details, flow events, a page of components, failed traces)
/// and `/v1/runs/{id}` checked like `/v1/traces`, with `node` and `failures`.
@Suite struct ViewerRoutesTests {
    @Test func detailsFlowEventsPagesAndRuns() async throws {
        let server = try TestServer()
        try await server.test(.router) { client in
            let ingest = try await client.execute(
                uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            #expect(ingest.status == .ok)
            let id = try #require(try server.store.traceID(of: EntityRef(type: .execution, id: "ex-1"))).description

            let details = try await client.execute(
                uri: "/v1/traces/\(id)/component?type=execution&id=ex-1", method: .get)
            #expect(details.status == .ok)
            let attempts = try #require(details.object["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["failure"] as? String } == ["RECOVERABLE", nil])
            #expect((attempts[1]["output"] as? [String: Bool]) == ["ok": true])
            #expect((details.object["chain"] as? [[String: Any]])?.map { $0["id"] as? String } == ["ti-1", "re-1"])
            let trigger = try await client.execute(
                uri: "/v1/traces/\(id)/component?type=trigger_instance&id=ti-1", method: .get)
            #expect(
                ((trigger.object["trigger_instance"] as? [String: Any])?["payload"] as? [String: String]) == [
                    "ref": "main"
                ])
            for (uri, status) in [
                ("/v1/traces/\(id)/component?type=execution&id=nope", HTTPResponse.Status.notFound),
                ("/v1/traces/\(id)/component?type=span&id=ex-1", .badRequest),
                ("/v1/traces/\(id)/component?type=execution", .badRequest),
                ("/v1/traces/0123456789abcdef0123456789abcdef/component?type=execution&id=ex-1", .notFound),
                ("/v1/traces/\(id)?limit=x", .badRequest), ("/v1/runs/run-1?bogus=1", .badRequest),
                ("/v1/runs/run-1?failures=maybe", .badRequest), ("/v1/traces?since=lately", .badRequest),
                ("/v1/traces?sort=up", .badRequest), ("/v1/traces/\(id)?execution=a&rule=b", .badRequest),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == status, "\(uri): \(response.text)")
            }
            let missing = try await client.execute(uri: "/v1/traces/0123456789abcdef0123456789abcdef", method: .get)
            #expect(missing.object["error"] as? String == "trace 0123456789abcdef0123456789abcdef not found")
            let both = try await client.execute(uri: "/v1/traces/\(id)?execution=a&rule=b", method: .get)
            #expect(both.object["error"] as? String == "use at most one of execution, rule and trigger_instance")

            let flow = try await client.execute(uri: "/v1/traces/\(id)/flow-events", method: .get)
            #expect((flow.object["events"] as? [Any])?.count == 0)

            let page = try await client.execute(uri: "/v1/traces/\(id)?limit=2&offset=1", method: .get)
            #expect(page.object["total"] as? Int == 3)
            #expect((page.object["components"] as? [[String: Any]])?.map { $0["id"] as? String } == ["re-1", "ex-1"])
            #expect(page.object["outcome"] as? String == "succeeded")

            let failures = try await client.execute(uri: "/v1/runs/deploy-42?failures=true", method: .get)
            #expect((failures.object["attempts"] as? [[String: Any]])?.map { $0["attempt"] as? Int } == [1])
            let node = try await client.execute(uri: "/v1/runs/\(id)?node=ci.build", method: .get)
            #expect((node.object["attempts"] as? [Any])?.count == 2)
            let none = try await client.execute(uri: "/v1/runs/\(id)?node=other", method: .get)
            #expect((none.object["attempts"] as? [Any])?.count == 0)

            let failed = try await client.execute(uri: "/v1/traces?failed=true", method: .get)
            #expect(failed.object["total"] as? Int == 0, "the retry succeeded")
            let recent = try await client.execute(uri: "/v1/traces?since=2026-11-22", method: .get)
            #expect(recent.object["total"] as? Int == 1)
        }
    }
}
