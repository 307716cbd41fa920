import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

@Suite("POST /v1/events and /v1/webhooks")
struct IngestRoutesTests {
    @Test("JSON lines are stored and acknowledged with their counts")
    func eventsAsLines() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(
                uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.cascade))
            #expect(response.status == .ok)
            #expect(response.object["accepted"] as? Int == 4)
            #expect(response.object["records"] as? Int == 5)  // the trace start included
            let traces = try server.store.listTraces(TraceQuery(tag: "deploy-42"))
            #expect(traces.total == 1)
            #expect(traces.traces.first?.components.count == 3)
        }
    }

    @Test("a JSON array of events is accepted like lines")
    func eventsAsArray() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body = "[\n" + [Sample.trigger, Sample.rule].joined(separator: ",\n") + "\n]"
            let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .ok)
            #expect(response.object["accepted"] as? Int == 2)
        }
    }

    @Test("one malformed line rejects the whole batch, listing the line, and writes nothing")
    func atomicSyntaxError() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body = [Sample.trigger, #"{"type":"execution","id":"ex-9","action":"a","attempt":"two"}"#, Sample.rule]
                .joined(separator: "\n")
            let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .badRequest)
            let errors = response.object["errors"] as? [[String: Any]]
            #expect(errors?.count == 1)
            #expect(errors?.first?["line"] as? Int == 2)
            #expect((errors?.first?["error"] as? String)?.contains("attempt") == true)
            #expect(server.recordCount == 0)
        }
    }

    @Test("an event that trace resolution rejects rejects the whole batch and writes nothing")
    func atomicResolutionError() async throws {
        let server = try TestServer()
        try await server.test { client in
            let orphan = #"{"type":"execution","id":"ex-7","action":"a","caused_by":{"type":"rule","id":"nowhere"}}"#
            let body = [Sample.trigger, orphan].joined(separator: "\n")
            let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .badRequest)
            let errors = response.object["errors"] as? [[String: Any]]
            #expect(errors?.first?["line"] as? Int == 2)
            #expect(errors?.first?["error"] as? String == "no trace found for rule nowhere")
            #expect(server.recordCount == 0)
        }
    }

    @Test(
        "malformed bodies get 400 with a reason",
        arguments: [
            ("[", "no closing bracket"), ("[1,,2]", "element 2 is empty"), ("{\"type\": 5}", "\"line\":1"),
            ("   \n\n", "no events"), ("[]", "no events"),
        ])
    func malformedEvents(body: String, reason: String) async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .badRequest)
            let message = (response.object["error"] as? String ?? "") + response.text
            #expect(message.contains(reason))
            #expect(server.recordCount == 0)
        }
    }

    @Test("invalid UTF-8 gets 400 on both ingest routes")
    func invalidUTF8() async throws {
        let server = try TestServer()
        try await server.test { client in
            var line = Array(#"{"type":"trigger_instance","id":"ti-x","trigger":"t","payload":{"k":""#.utf8)
            line += [0xC3, 0x28] + Array(#""}}"#.utf8)
            let events = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(bytes: line))
            #expect(events.status == .badRequest)
            #expect((events.object["errors"] as? [[String: Any]])?.count == 1)
            let webhook = try await client.execute(
                uri: "/v1/webhooks/github", method: .post,
                body: ByteBuffer(bytes: Array(#"{"k":""#.utf8) + [0xFF] + Array(#""}"#.utf8)))
            #expect(webhook.status == .badRequest)
            #expect(webhook.object["error"] as? String == "the body is not valid UTF-8")
            #expect(server.recordCount == 0)
        }
    }

    @Test("a body over the limit gets 413 and writes nothing", arguments: ["/v1/events", "/v1/webhooks/big"])
    func bodyTooLarge(uri: String) async throws {
        let server = try TestServer(maximumBodyBytes: 1024)
        try await server.test(.live) { client in
            let padding = String(repeating: "x", count: 2000)
            let body = #"{"type":"trigger_instance","id":"ti-big","trigger":"t","payload":{"pad":"\#(padding)"}}"#
            let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .contentTooLarge)
            #expect((response.object["error"] as? String)?.contains("1024 bytes") == true)
            #expect(server.recordCount == 0)
        }
    }

    @Test("a webhook with St2-Trace-Tag starts a trace with that tag; the header is not stored")
    func webhookWithTag() async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            let body = #"{"key1": "value1", "n": 1.50}"#
            let response = try await client.execute(
                uri: "/v1/webhooks/github", method: .post,
                headers: [.traceTag: "webhook-1", .contentType: "application/json", .authorization: "Bearer x"],
                body: ByteBuffer(text: body))
            #expect(response.status == .accepted)
            let reply = response.object
            #expect(reply["trace_tag"] as? String == "webhook-1")
            let instanceID = try #require(reply["trigger_instance_id"] as? String)
            #expect(instanceID.count == 24)
            let traceIDText = try #require(reply["trace_id"] as? String)
            let traceID = try #require(TraceID(hex: traceIDText))
            let trace = try #require(try server.store.trace(traceID))
            #expect(trace.tag == "webhook-1")
            let instance = try #require(
                trace.records.compactMap { stored -> TriggerInstance? in
                    if case .triggerInstance(let instance) = stored.record.body { return instance }
                    return nil
                }.first)
            #expect(instance.id == instanceID)
            #expect(instance.trigger == "webhook.github")
            #expect(instance.source == .webhook)
            #expect(instance.hook == "github")
            #expect(instance.payload.text.hasSuffix(#","body":{"key1": "value1", "n": 1.50}}"#))
            let payload = try #require(
                try JSONSerialization.jsonObject(with: Data(instance.payload.text.utf8)) as? [String: Any])
            let headers = try #require(payload["headers"] as? [String: String])
            #expect(headers["content-type"] == "application/json")
            #expect(headers["st2-trace-tag"] == nil)
            #expect(headers["authorization"] == nil)
        }
    }

    @Test("a webhook without a tag gets the automatic tag webhook-<hook>-<32 hex>")
    func webhookWithoutTag() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(
                uri: "/v1/webhooks/alerts", method: .post, body: ByteBuffer(text: #"{"a":1}"#))
            #expect(response.status == .accepted)
            let tag = try #require(response.object["trace_tag"] as? String)
            #expect(tag.hasPrefix("webhook-alerts-"))
            #expect(TraceID(hex: tag.dropFirst("webhook-alerts-".count)) != nil)
            let page = try server.store.listTraces(TraceQuery(tag: tag))
            #expect(page.traces.first?.id.description == response.object["trace_id"] as? String)
        }
    }

    @Test(
        "webhook bodies that are not JSON, and bad hook names, get 400",
        arguments: [
            ("/v1/webhooks/github", "not json"), ("/v1/webhooks/github", ""), ("/v1/webhooks/bad%20name", "{}"),
        ])
    func webhookRejected(uri: String, body: String) async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(text: body))
            #expect(response.status == .badRequest)
            #expect(response.object["error"] is String)
            #expect(server.recordCount == 0)
        }
    }
}
