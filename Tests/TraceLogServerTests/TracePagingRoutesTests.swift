import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

@Suite("GET /v1/traces/{id}: limit, offset and summary")
struct TracePagingRoutesTests {
    private func seed(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.execute(
            uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
        #expect(response.status == .ok)
        let list = try await client.execute(uri: "/v1/traces?trace_tag=deploy-42", method: .get)
        let traces = try #require(list.object["traces"] as? [[String: Any]])
        return try #require(traces.first?["id"] as? String)
    }

    @Test("limit and offset page the components; the total is in the body and X-Total-Count")
    func paging() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            func page(_ query: String) async throws -> (ids: [String], total: Int?, header: String?) {
                let response = try await client.execute(uri: "/v1/traces/\(id)?\(query)", method: .get)
                #expect(response.status == .ok, "\(query)")
                let ids = (response.object["components"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                return (ids, response.object["total"] as? Int, response.headers[.totalCount])
            }
            let first = try await page("limit=2")
            #expect(first.ids == ["ti-1", "re-1"] && first.total == 3 && first.header == "3")
            #expect(try await page("limit=2&offset=2").ids == ["ex-1"])
            #expect(try await page("offset=5").ids.isEmpty)
            #expect(try await page("limit=0").ids.isEmpty)
            #expect(try await page("limit=-1").ids == ["ti-1", "re-1", "ex-1"])
            let selected = try await page("show_executions=true&show_rules=true&limit=1&offset=1")
            #expect(selected.ids == ["ex-1"] && selected.total == 2)
        }
    }

    @Test("summary: counts by type and outcome, time span, total; no components")
    func summary() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            let response = try await client.execute(uri: "/v1/traces/\(id)?summary=true", method: .get)
            #expect(response.status == .ok)
            #expect(response.object["components"] == nil)
            #expect(response.object["total"] as? Int == 3 && response.headers[.totalCount] == "3")
            #expect(response.object["records"] as? Int == 5, "trace start, trigger, rule, two attempts")
            #expect(response.object["start_time"] as? String == "2026-11-22T10:00:00.000000Z")
            #expect(response.object["end_time"] as? String == "2026-11-22T10:00:02.000000Z")
            #expect(
                (response.object["by_type"] as? [String: Int]) == ["trigger_instance": 1, "rule": 1, "execution": 1])
            let outcomes = try #require(response.object["executions_by_outcome"] as? [String: Int])
            #expect(outcomes["success"] == 1 && outcomes.values.reduce(0, +) == 1, "the retry succeeded")
        }
    }

    @Test(
        "bad paging or summary parameters get 400",
        arguments: ["limit=-2", "limit=x", "offset=-1", "summary=true&limit=1", "summary=true&execution=ex-1"])
    func rejects(query: String) async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            let response = try await client.execute(uri: "/v1/traces/\(id)?\(query)", method: .get)
            #expect(response.status == .badRequest, "\(query)")
            #expect(response.object["error"] is String)
        }
    }
}
