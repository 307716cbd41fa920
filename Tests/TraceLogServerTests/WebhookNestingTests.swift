import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

@testable import TraceLogServer

/// A webhook body is stored inside a trigger instance's payload; `tracelog replay | tracelog ingest` must read it
/// back, so it may nest no deeper than a native line allows below the payload.
@Suite("POST /v1/webhooks: body nesting")
struct WebhookNestingTests {
    static func nested(_ levels: Int) -> String {
        String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    }

    @Test("a body at the limit is stored and replays as a native line the parser accepts")
    func atTheLimit() async throws {
        #expect(WebhookEvent.maximumBodyDepth == NativeEventParser.defaultMaximumDepth - 2)
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(
                uri: "/v1/webhooks/deep", method: .post,
                body: ByteBuffer(text: Self.nested(WebhookEvent.maximumBodyDepth)))
            #expect(response.status == .accepted)
            let traceID = try #require(TraceID(hex: response.object["trace_id"] as? String ?? ""))
            let trace = try #require(try server.store.trace(traceID))
            for stored in trace.records {
                let line = NativeEventWriter().line(for: stored.record)
                #expect(throws: Never.self) { try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1) }
            }
        }
    }

    @Test(
        "a body one level deeper, or 100,000 levels deep, gets 400 naming the limit and writes nothing",
        arguments: [WebhookEvent.maximumBodyDepth + 1, 100_000])
    func tooDeep(levels: Int) async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.execute(
                uri: "/v1/webhooks/deep", method: .post, body: ByteBuffer(text: Self.nested(levels)))
            #expect(response.status == .badRequest)
            #expect(response.object["error"] as? String == "the body nests deeper than 62 levels")
            #expect(server.recordCount == 0)
        }
    }

    @Test("brackets inside strings do not count as nesting")
    func bracketsInStrings() {
        let text = #"{"a": "[[[[\"{{{{", "b": [1]}"#
        #expect(WebhookEvent.nestingStaysWithin(2, Array(text.utf8)))
        #expect(!WebhookEvent.nestingStaysWithin(1, Array(text.utf8)))
    }
}
