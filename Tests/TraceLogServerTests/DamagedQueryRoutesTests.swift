import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogIngest

@testable import TraceLogStorage

/// The query routes on a damaged log: an error response naming segment and offset, or with `allow_damaged=true`
/// the readable answer with a `damage` member.
@Suite("GET /v1/traces on a damaged log")
struct DamagedQueryRoutesTests {
    /// A log whose trace `deploy-42` lost its second attempt to a corrupt batch (index checkpoint deleted, so the
    /// index is rebuilt without it); returns the directory, the trace id and the damaged batch.
    private func damagedLog() async throws -> (String, String, BatchLocation, String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tracelog-server-damage-\(UUID().uuidString)").path
        let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
        var lastSeq: UInt64 = 0
        for line in [Sample.trigger, Sample.rule, Sample.firstAttempt, Sample.secondAttempt] {
            let event = try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1)
            lastSeq = try await store.ingest([event]).seqs.lowerBound
        }
        let filler = try NativeEventParser().parse(
            line: Array(#"{"type":"execution","id":"f-1","action":"x"}"#.utf8), lineNumber: 1)
        _ = try await store.ingest([filler])
        let id = try #require(try store.traceID(of: EntityRef(type: .execution, id: "ex-1")))
        try store.close()
        let reader = try LogReader(directory: directory)
        let (segment, batch) = try reader.locate(lastSeq)
        let path = directory + "/" + segment.name
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(batch.offset) + BatchHeader.size + 3] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: directory + "/" + SegmentIndexFile.name(baseSeq: segment.baseSeq))
        return (directory, id.description, batch, segment.name)
    }

    @Test("a query that touches damage fails naming it, or answers with allow_damaged=true")
    func damagedAnswers() async throws {
        let (directory, id, batch, segment) = try await damagedLog()
        let server = try TestServer(directory: directory)
        try await server.test { client in
            let place = "\(segment) at offset \(batch.offset)"
            for uri in ["/v1/traces", "/v1/traces?trace_tag=deploy-42", "/v1/traces/\(id)", "/v1/runs/\(id)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .internalServerError, "\(uri)")
                let message = response.object["error"] as? String ?? ""
                #expect(message.hasPrefix("damaged data may hide part of the answer: \(place)"), "\(uri): \(message)")
                let damage = try #require((response.object["damage"] as? [[String: Any]])?.first, "\(uri)")
                #expect(damage["segment"] as? String == segment)
                #expect(damage["offset"] as? Int == Int(batch.offset))
            }
            let trace = try await client.execute(uri: "/v1/traces/\(id)?allow_damaged=true", method: .get)
            #expect(trace.status == .ok)
            let components = try #require(trace.object["components"] as? [[String: Any]])
            #expect(components.map { $0["id"] as? String } == ["ti-1", "re-1", "ex-1"])
            #expect((trace.object["damage"] as? [[String: Any]])?.first?["first_seq"] as? Int == Int(batch.baseSeq))
            let list = try await client.execute(uri: "/v1/traces?allow_damaged=true", method: .get)
            #expect(list.status == .ok)
            #expect(list.object["total"] as? Int == 2)
            #expect((list.object["damage"] as? [Any])?.count == 1)
            let unknown = try await client.execute(
                uri: "/v1/traces/\(String(repeating: "ab", count: 16))?allow_damaged=true", method: .get)
            #expect(unknown.status == .notFound)
            #expect((unknown.object["damage"] as? [Any])?.count == 1, "not found, but the damage may hold it")
        }
    }
}
