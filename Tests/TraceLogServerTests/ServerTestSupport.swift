import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

/// A server over a fresh log in a temporary directory, removed when the test ends.
struct TestServer {
    let directory: String
    let store: WritableTraceStore
    let server: TraceServer

    /// A server over `directory` (default: a new temporary directory), which the test then removes.
    init(
        token: String? = nil, maximumBodyBytes: Int = 1 << 20, durability: Durability = .none,
        faults: FaultInjector? = nil, segmentMaxBytes: Int64 = 64 << 20, directory: String? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        self.directory =
            directory
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("tracelog-server-tests-\(UUID().uuidString)").path
        store = try WritableTraceStore.open(
            directory: self.directory,
            options: LogOptions(
                durability: durability, segmentMaxBytes: segmentMaxBytes,
                batchTargetBytes: segmentMaxBytes < 1 << 20
                    ? 512 : 16 << 10, faults: faults))
        var logger = Logger(label: "tracelog.server.tests")
        logger.logLevel = .critical
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, token: token, maximumBodyBytes: maximumBodyBytes)
        configure(&configuration)
        server = TraceServer(store: store, configuration: configuration, logger: logger)
    }

    /// Runs `body` against the application (in process, or over a loopback socket with `.live`), then cleans up.
    ///
    /// The server answers 415 to a POST without a JSON content type; the client given to `body` adds
    /// `Content-Type: application/json` to a POST that has none, so that tests about other things need not.
    func test<Value>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value)
        async throws -> Value
    {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await server.makeApplication().test(setup) { client in
            try await body(JSONPostingClient(base: client))
        }
    }

    /// Every record in the log, in sequence order.
    var recordCount: UInt64 { store.endSeq }
}

/// A test client that gives a POST without a `Content-Type` the type `application/json`.
struct JSONPostingClient: TestClientProtocol {
    let base: any TestClientProtocol

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?)
        async throws -> TestResponse
    {
        var headers = headers
        if method == .post, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}

/// Native event lines for a small cascade: webhook → rule → failed attempt → retry.
enum Sample {
    static let trigger =
        #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"core.st2.webhook","source":"webhook","hook":"github","payload":{"ref":"main"},"trace":{"tag":"deploy-42"}}"#
    static let rule =
        #"{"type":"rule_enforcement","id":"re-1","time":"2026-11-22T10:00:00.002Z","rule":{"id":"r-9","ref":"ci.on_push"},"trigger_instance":"ti-1","execution":"ex-1"}"#
    static let firstAttempt =
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004Z","action":"ci.build","run_id":"run-1","attempt":1,"status":"failed","failure":"RECOVERABLE","failure_message":"timeout","duration_ms":1500,"caused_by":{"type":"rule","id":"re-1"}}"#
    static let secondAttempt =
        #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:02Z","action":"ci.build","run_id":"run-1","attempt":2,"status":"succeeded","duration_ms":900,"output":{"ok":true}}"#
    static var cascade: String { [trigger, rule, firstAttempt, secondAttempt].joined(separator: "\n") + "\n" }
}

extension TestResponse {
    /// The body as a JSON object (or array), for assertions.
    var json: Any? {
        guard body.readableBytes > 0 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
    }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var text: String { String(buffer: body) }
}

extension ByteBuffer {
    init(text: String) { self.init(string: text) }
}
