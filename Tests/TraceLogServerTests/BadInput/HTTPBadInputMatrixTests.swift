import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

@testable import TraceLogServer

/// Issue #7 item 4 over HTTP: every bad input class on every ingest route, over a loopback socket.
///
/// Each case seeds a log with two traces, sends one bad request, and checks: the status, a JSON body whose
/// `error` (and `errors` entry, for a rejected batch) names the line or the problem, the log unchanged record
/// for record, and the server still serving — the valid input sent next is stored, exactly it.
@Suite("HTTP ingest: the bad input matrix")
struct HTTPBadInputMatrixTests {
    @Test("every route × input class is a case or documented as not applicable")
    func coverage() {
        for route in IngestRoute.allCases {
            for inputClass in BadInputClass.allCases {
                let cases = HTTPBadInputMatrix.cases.filter { $0.route == route && $0.inputClass == inputClass }
                let skipped = HTTPBadInputMatrix.notApplicable[route]?[inputClass]
                #expect(cases.isEmpty != (skipped == nil), "\(route.rawValue): \(inputClass.rawValue)")
            }
        }
        #expect(HTTPBadInputMatrix.cases.count == 25)
    }

    @Test(
        "a bad request gets its status and a JSON error naming the line; the log is unchanged",
        arguments: HTTPBadInputMatrix.cases)
    func badRequest(_ badCase: HTTPBadInputCase) async throws {
        let server = try TestServer(maximumBodyBytes: ServerConfiguration().maximumBodyBytes)  // the default: 8 MiB
        try await server.test(.live) { client in
            let seeded = try await client.execute(
                uri: "/v1/events", method: .post,
                body: ByteBuffer(string: HTTPBadInputMatrix.baseline.joined(separator: "\n")))
            #expect(seeded.status == .ok)
            var ids: TraceIDs = [:]
            for tag in ["A", "B"] {
                ids[tag] = try server.store.listTraces(TraceQuery(tag: tag)).traces.first?.id.description
            }
            let before = try Self.records(server.store)

            let response = try await Self.send(badCase, body: badCase.body(ids), client)
            #expect(response.status == Int(badCase.status.code))
            let reply = response.object
            let error = reply["error"] as? String ?? "no error in \(response.text.prefix(500))"
            #expect(error.hasPrefix(badCase.error), "\(error)")
            let entries = reply["errors"] as? [[String: Any]] ?? []
            if let expected = badCase.lineError?(ids) {
                #expect(entries.count == 1)
                #expect(entries.first?["line"] as? Int == expected.line)
                let reason = entries.first?["error"] as? String ?? ""
                #expect(reason.hasPrefix(expected.error), "\(reason)")
            } else {
                #expect(entries.isEmpty)
            }
            #expect(try Self.records(server.store) == before)

            // The server still serves, and what it stores now is exactly the valid input.
            let valid = try await Self.sendValid(badCase.route, client)
            let after = try Self.records(server.store)
            #expect(Array(after.prefix(before.count)) == before)
            #expect(after.count - before.count == valid.records)
            #expect(Self.entities(after.dropFirst(before.count)) == valid.entities)
        }
    }

    /// Sends the bad request. A 100 MB body goes through AsyncHTTPClient, which stops uploading once the 413
    /// arrives (the server answers from `Content-Length`, then drains what the client still sends): the test
    /// client would push all 100 MB through the server before reading the reply, which on a loaded 2-core CI
    /// machine took longer than its fixed 20-second timeout.
    static func send(_ badCase: HTTPBadInputCase, body: [UInt8], _ client: some TestClientProtocol) async throws
        -> Reply
    {
        guard badCase.inputClass == .hugeBody, let port = client.port else {
            let response = try await client.execute(
                uri: badCase.uri, method: .post, headers: badCase.headers, body: ByteBuffer(bytes: body))
            return Reply(status: Int(response.status.code), body: response.body)
        }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(badCase.uri)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")  // as the test client sends
        for field in badCase.headers { request.headers.replaceOrAdd(name: field.name.rawName, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, deadline: .now() + .minutes(5))
        return Reply(status: Int(response.status.code), body: try await response.body.collect(upTo: 1 << 20))
    }

    /// A reply's status and body, whichever client fetched it.
    struct Reply {
        var status: Int
        var body: ByteBuffer
        var object: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        }
        var text: String { String(buffer: body) }
    }

    /// Sends the route's valid input; returns how many records it made and its entities' ids.
    static func sendValid(_ route: IngestRoute, _ client: some TestClientProtocol) async throws -> (
        records: Int, entities: [String]
    ) {
        if route == .webhook {
            let response = try await client.execute(
                uri: "/v1/webhooks/github", method: .post, body: ByteBuffer(string: #"{"ok":true}"#))
            #expect(response.status == .accepted)
            return (2, [response.object["trigger_instance_id"] as? String ?? "?"])  // the trace start and the instance
        }
        let body = HTTPBadInputMatrix.valid.joined(separator: "\n")
        let response = try await client.execute(
            uri: "/v1/events", method: .post,
            body: ByteBuffer(
                string: route == .eventArray ? "[\(body.replacingOccurrences(of: "\n", with: ","))]" : body))
        #expect(response.status == .ok)
        #expect(response.object["accepted"] as? Int == 3)
        return (response.object["records"] as? Int ?? -1, ["v1", "v2", "v3"])
    }

    /// Every record of the log, as `tracelog replay` prints it.
    static func records(_ store: TraceStore) throws -> [String] {
        var cursor = store.reader.cursor()
        var lines: [String] = []
        while let stored = try cursor.next() { lines.append(NativeEventWriter().line(for: stored.record)) }
        return lines
    }

    /// The ids of the entities the records are about (trace starts left out).
    static func entities(_ lines: ArraySlice<String>) -> [String] {
        lines.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["type"] as? String != "trace"
            else { return nil }
            return object["id"] as? String
        }
    }
}
