import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TraceLogServer

/// Issue 14 item 13 over HTTP: a resent trigger instance is counted in `duplicates` and not written again; a
/// changed one rejects the request, naming the first record's seq.
@Suite struct DuplicateEventsTests {
    @Test func aResentTriggerInstanceIsCountedAsADuplicateAndAChangedOneIsRejected() async throws {
        let server = try TestServer()
        try await server.test { client in
            let first = try await client.execute(
                uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.trigger))
            #expect(first.status == .ok)
            #expect(first.object["duplicates"] as? Int == 0)
            let records = server.recordCount
            let again = try await client.execute(
                uri: "/v1/events", method: .post, body: ByteBuffer(text: Sample.trigger))
            #expect(again.status == .ok)
            #expect(again.object["accepted"] as? Int == 0)
            #expect(again.object["records"] as? Int == 0)
            #expect(again.object["duplicates"] as? Int == 1)
            #expect(server.recordCount == records)
            let changed = Sample.trigger.replacingOccurrences(of: #"{"ref":"main"}"#, with: #"{"ref":"dev"}"#)
            let conflict = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(text: changed))
            #expect(conflict.status == .badRequest)
            let errors = conflict.object["errors"] as? [[String: Any]]
            #expect(
                errors?.first?["error"] as? String
                    == "trigger_instance ti-1 is already recorded at seq 1 with a different content")
            #expect(server.recordCount == records)
        }
    }
}
