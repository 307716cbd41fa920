import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

/// Issue 14 item 14: retention works on a served log, through `POST /v1/purge` and `serve --retention`, and keeps
/// the start of every trace that has records left.
@Suite struct RetentionRoutesTests {
    /// "gone" wholly in 2020, "straddles" from 2020 to now, old filler to fill segments, "recent" now.
    static var body: String {
        var lines = [
            #"{"type":"execution","id":"g1","time":"2020-01-01T00:00:00Z","action":"a","trace":{"tag":"gone"}}"#,
            #"{"type":"execution","id":"s1","time":"2020-01-01T00:00:00Z","action":"a","trace":{"tag":"straddles"}}"#,
        ]
        for index in 0..<300 {
            lines.append(
                #"{"type":"execution","id":"f\#(index)","time":"2020-01-01T00:01:00Z","action":"filler","trace":{"tag":"f\#(index % 5)"}}"#
            )
        }
        lines.append(#"{"type":"execution","id":"s2","action":"a","caused_by":{"type":"execution","id":"s1"}}"#)
        lines.append(#"{"type":"execution","id":"r1","action":"a","trace":{"tag":"recent"}}"#)
        return lines.joined(separator: "\n")
    }

    static func total(_ client: some TestClientProtocol, tag: String) async throws -> Int? {
        let response = try await client.execute(uri: "/v1/traces?trace_tag=\(tag)", method: .get)
        return response.object["total"] as? Int
    }

    /// Ingests the body in requests of 20 lines, so that segments roll between them.
    static func ingest(_ client: some TestClientProtocol) async throws {
        let lines = body.split(separator: "\n")
        for start in stride(from: 0, to: lines.count, by: 20) {
            let chunk = lines[start..<min(start + 20, lines.count)].joined(separator: "\n")
            let response = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: chunk))
            #expect(response.status == .ok)
        }
    }

    @Test func purgeDeletesOldSegmentsOfTheServedLogAndKeepsStraddlingTraces() async throws {
        let server = try TestServer(segmentMaxBytes: 4096)
        try await server.test { client in
            try await Self.ingest(client)
            let purge = try await client.execute(
                uri: "/v1/purge", method: .post, body: ByteBuffer(text: #"{"before":"2024-01-01T00:00:00Z"}"#))
            #expect(purge.status == .ok)
            #expect((purge.object["deleted_segments"] as? Int ?? 0) > 0)
            #expect((purge.object["deleted_records"] as? Int ?? 0) > 0)
            #expect(purge.object["carried_trace_starts"] as? Int == 1)
            #expect(try await Self.total(client, tag: "gone") == 0)
            #expect(try await Self.total(client, tag: "straddles") == 1)
            #expect(try await Self.total(client, tag: "recent") == 1)
            // A later attempt of a purged execution starts afresh instead of joining a trace that is gone.
            let again = try await client.execute(
                uri: "/v1/events", method: .post,
                body: ByteBuffer(text: #"{"type":"execution","id":"g1","attempt":2,"action":"a"}"#))
            #expect(again.status == .ok)
            #expect(try await Self.total(client, tag: "execution-g1") == 1)

            for bad in [#"{"before":"yesterday"}"#, #"{"after":"2024-01-01T00:00:00Z"}"#, "[]"] {
                let response = try await client.execute(uri: "/v1/purge", method: .post, body: ByteBuffer(text: bad))
                #expect(response.status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func serveRetentionPurgesWhileServing() async throws {
        let server = try TestServer(segmentMaxBytes: 4096) {
            $0.retention = .seconds(365 * 86400)
            $0.retentionInterval = .milliseconds(100)
        }
        // Stored before the server starts: with retention running, a 2020 record ingested later may find its
        // cause already deleted (and be rejected, rightly).
        let old = Timestamp(rfc3339: "2020-01-01T00:00:00Z")!
        func execution(_ id: String, _ time: Timestamp?, tag: String? = nil, cause: String? = nil) -> IncomingEvent {
            IncomingEvent(
                body: .executionAttempt(
                    ExecutionAttempt(id: id, action: "a", causedBy: cause.map { EntityRef(type: .execution, id: $0) })),
                time: time, trace: tag.map { TraceContext(tag: $0) })
        }
        var events = [execution("g1", old, tag: "gone"), execution("s1", old, tag: "straddles")]
        events += (0..<300).map { execution("f\($0)", old, tag: "f\($0 % 5)") }
        events += [execution("s2", nil, cause: "s1"), execution("r1", nil, tag: "recent")]
        for start in stride(from: 0, to: events.count, by: 20) {
            let result = try await server.store.ingest(Array(events[start..<min(start + 20, events.count)]))
            #expect(result.rejected.isEmpty)
        }
        try await server.test(.live) { client in
            var gone = false
            let start = ContinuousClock.now
            while !gone, ContinuousClock.now - start < .seconds(30) {
                gone = try await Self.total(client, tag: "gone") == 0
                if !gone { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(gone, "retention deleted the 2020 segments")
            #expect(try await Self.total(client, tag: "straddles") == 1)
            #expect(try await Self.total(client, tag: "recent") == 1)
        }
    }
}
