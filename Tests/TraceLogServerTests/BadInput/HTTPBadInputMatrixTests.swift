import Foundation
import Hummingbird
import HummingbirdTesting
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

            let response = try await client.execute(
                uri: badCase.uri, method: .post, headers: badCase.headers, body: ByteBuffer(bytes: badCase.body(ids)))
            #expect(response.status == badCase.status)
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
