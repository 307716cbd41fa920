import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

/// Issue 14 item 8: once a full disk stops the writer, `/healthz` and `/readyz` say so (503 and the reason) and
/// `/metrics` has a gauge for it.
@Suite struct WriterHealthTests {
    @Test func aWriterStoppedByAFullDiskMakesHealthAndReadiness503WithTheReason() async throws {
        let faults = FaultInjector()
        let server = try TestServer(token: "s3cret", durability: .sync, faults: faults)
        let auth: HTTPFields = [.authorization: "Bearer s3cret", .contentType: "application/x-ndjson"]
        try await server.test(.live) { client in
            for path in ["/healthz", "/readyz"] {
                let healthy = try await client.execute(uri: path, method: .get)
                #expect(healthy.status == .ok, "\(path)")
                #expect(healthy.object["status"] as? String == "ok")
            }
            let before = try await client.execute(uri: "/metrics", method: .get, headers: auth)
            #expect(before.text.contains("tracelog_writer_stopped 0"))

            faults.fail(.write, with: .error(ENOSPC), repeats: true)
            let failed = try await client.execute(
                uri: "/v1/events", method: .post, headers: auth, body: ByteBuffer(text: Sample.cascade))
            #expect(failed.status.code >= 500)

            for path in ["/healthz", "/readyz"] {
                let stopped = try await client.execute(uri: path, method: .get)
                #expect(stopped.status == .serviceUnavailable, "\(path)")
                #expect(stopped.object["status"] as? String == "writer_stopped")
                let reason = try #require(stopped.object["reason"] as? String)
                #expect(reason.contains("No space left on device"))
                #expect(!reason.contains(server.directory), "the log's path is not shown to anyone")
                #expect((stopped.object["action"] as? String)?.contains("restart") == true)
            }
            let after = try await client.execute(uri: "/metrics", method: .get, headers: auth)
            #expect(after.text.contains("tracelog_writer_stopped 1"))
            let retry = try await client.execute(
                uri: "/v1/events", method: .post, headers: auth, body: ByteBuffer(text: Sample.cascade))
            #expect(retry.status == .serviceUnavailable)
        }
    }
}
