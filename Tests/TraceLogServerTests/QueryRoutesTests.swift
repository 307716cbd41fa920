import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

@Suite("GET /v1/traces, /v1/traces/{id}, /v1/runs/{id}, /v1/diff")
struct QueryRoutesTests {
    /// Ingests the sample cascade plus `extra` tagged traces; returns the cascade's trace id.
    private func seed(_ client: any TestClientProtocol, extra: Int = 0) async throws -> String {
        var body = Sample.cascade
        for index in 0..<extra {
            body +=
                #"{"type":"trigger_instance","id":"other-\#(index)","time":"2026-11-22T11:00:0\#(index)Z","trigger":"t","trace":{"tag":"other"}}"#
            body += "\n"
        }
        let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: body))
        #expect(response.status == .ok)
        let list = try await client.execute(uri: "/v1/traces?trace_tag=deploy-42", method: .get)
        let traces = try #require(list.object["traces"] as? [[String: Any]])
        return try #require(traces.first?["id"] as? String)
    }

    @Test("list: filters, paging, sort, X-Total-Count, and the trace list --json shape")
    func list() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await seed(client, extra: 3)
            let all = try await client.execute(uri: "/v1/traces?limit=2&offset=1&sort=asc", method: .get)
            #expect(all.status == .ok)
            #expect(all.headers[.totalCount] == "4")
            #expect(all.object["total"] as? Int == 4)
            let page = try #require(all.object["traces"] as? [[String: Any]])
            #expect(page.map { $0["tag"] as? String } == ["other", "other"])
            let expected = try server.store.listTraces(TraceQuery(limit: 2, offset: 1, order: .ascending)).json
            #expect(all.text == expected.serialized() + "\n")
            for filter in ["execution=ex-1", "rule=ci.on_push", "trigger_instance=ti-1", "trace_tag=deploy-42"] {
                let filtered = try await client.execute(uri: "/v1/traces?\(filter)", method: .get)
                #expect(filtered.headers[.totalCount] == "1", "\(filter)")
            }
            let since = try await client.execute(
                uri: "/v1/traces?since=2026-11-22T11:00:01Z&until=2026-11-22T11:00:01Z", method: .get)
            #expect(since.object["total"] as? Int == 1)
            let everything = try await client.execute(uri: "/v1/traces?limit=-1", method: .get)
            #expect((everything.object["traces"] as? [Any])?.count == 4)
        }
    }

    @Test(
        "list: bad parameters get 400",
        arguments: [
            "limit=-2", "limit=ten", "offset=-1", "sort=up", "since=yesterday", "tag=x", "limit=1&limit=2",
        ])
    func listRejects(query: String) async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(uri: "/v1/traces?\(query)", method: .get)
            #expect(response.status == .badRequest)
            #expect(response.object["error"] is String)
        }
    }

    @Test("get: the whole trace, and the CLI's selections")
    func get() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            func ids(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/v1/traces/\(id)\(query)", method: .get)
                #expect(response.status == .ok, "\(query)")
                return (response.object["components"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("") == ["ti-1", "re-1", "ex-1"])
            #expect(try await ids("?execution=ex-1") == ["ti-1", "re-1", "ex-1"])
            #expect(try await ids("?trigger_instance=ti-1&effects=true") == ["ti-1", "re-1", "ex-1"])
            #expect(try await ids("?rule=ci.on_push&effects") == ["re-1", "ex-1"])
            #expect(try await ids("?show_executions=true&show_rules=1") == ["re-1", "ex-1"])
            #expect(try await ids("?hide_noop_triggers=true") == ["ti-1", "re-1", "ex-1"])
            let whole = try await client.execute(uri: "/v1/traces/\(id)", method: .get)
            let traceID = try #require(TraceID(hex: id))
            let trace = try #require(try server.store.traceComponents(traceID, damage: .fail).value)
            #expect(whole.text == trace.json.serialized() + "\n")
            #expect(whole.object["total"] as? Int == 3 && whole.headers[.totalCount] == "3")
        }
    }

    @Test("get: unknown trace 404, malformed id and conflicting selectors 400")
    func getErrors() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            let unknown = try await client.execute(
                uri: "/v1/traces/\(String(repeating: "ab", count: 16))", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.object["error"] as? String == "trace \(String(repeating: "ab", count: 16)) not found")
            let malformed = try await client.execute(uri: "/v1/traces/xyz", method: .get)
            #expect(malformed.status == .badRequest)
            let two = try await client.execute(uri: "/v1/traces/\(id)?execution=ex-1&rule=re-1", method: .get)
            #expect(two.status == .badRequest)
            let effects = try await client.execute(uri: "/v1/traces/\(id)?effects=true", method: .get)
            #expect(effects.status == .badRequest)
            let flag = try await client.execute(uri: "/v1/traces/\(id)?effects=maybe&execution=ex-1", method: .get)
            #expect(flag.status == .badRequest)
        }
    }

    @Test("runs: attempts with their fields; unknown run 404")
    func runs() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            let response = try await client.execute(uri: "/v1/runs/\(id)", method: .get)
            #expect(response.status == .ok)
            #expect(response.object["run_id"] as? String == "run-1")
            let attempts = try #require(response.object["attempts"] as? [[String: Any]])
            #expect(attempts.count == 2)
            let first = try #require(attempts.first)
            #expect(first["node_id"] as? String == "ci.build")
            #expect(first["attempt"] as? Int == 1)
            #expect(first["failure"] as? String == "RECOVERABLE")
            #expect(first["failure_message"] as? String == "timeout")
            #expect(first["duration_ms"] as? Int == 1500)
            #expect(first["time"] as? String == "2026-11-22T10:00:00.004000Z")
            #expect(first["output"] is NSNull)
            #expect((attempts[1]["output"] as? [String: Any])?["ok"] as? Bool == true)
            let byTag = try await client.execute(uri: "/v1/runs/deploy-42", method: .get)
            #expect(byTag.object["trace_id"] as? String == id)
            let unknown = try await client.execute(uri: "/v1/runs/nothing", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("diff: equal runs give an empty list, different runs structured entries; missing runs 404 or 400")
    func diff() async throws {
        let server = try TestServer()
        try await server.test { client in
            let id = try await seed(client)
            let other = [
                #"{"type":"execution","id":"ex-b","time":"2026-11-22T12:00:00Z","action":"ci.build","run_id":"run-2","attempt":1,"status":"failed","failure":"RECOVERABLE","failure_message":"timeout","duration_ms":10,"trace":{"tag":"run-run-2"}}"#
            ].joined(separator: "\n")
            _ = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: other))
            let same = try await client.execute(uri: "/v1/diff?a=\(id)&b=\(id)", method: .get)
            #expect(same.status == .ok)
            #expect(same.text == "[]\n")
            let changed = try await client.execute(uri: "/v1/diff?a=\(id)&b=run-2&ignore_run_id=true", method: .get)
            let entries = try #require(changed.json as? [[String: Any]])
            #expect(entries.map { $0["kind"] as? String } == ["missing"])
            #expect(entries.first?["attempt"] as? Int == 2)
            let missing = try await client.execute(uri: "/v1/diff?a=\(id)&b=nothing", method: .get)
            #expect(missing.status == .notFound)
            let incomplete = try await client.execute(uri: "/v1/diff?a=\(id)", method: .get)
            #expect(incomplete.status == .badRequest)
        }
    }
}
