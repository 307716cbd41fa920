import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TraceLog
import TraceLogIngest
import TraceLogStorage
import TraceLogTestSupport

@testable import TraceLogOTLP

/// A log in a temporary directory, removed at the end.
final class TemporaryLog: Sendable {
    let directory: String
    let store: WritableTraceStore

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-forward-tests-\(UUID().uuidString)")
            .path
        store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .none))
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Ingests native event lines (all must be accepted).
    func ingest(_ lines: [String]) async throws {
        let events = try lines.enumerated().map { index, line in
            try NativeEventParser().parse(line: Array(line.utf8), lineNumber: index + 1)
        }
        let result = try await store.ingest(events, atomic: true)
        precondition(result.rejected.isEmpty, "\(result.rejected)")
    }
}

/// Native lines of `count` independent StackStorm-like executions, each its own trace (2 records each: the trace start
/// and the execution).
func executionLines(_ count: Int, from start: Int = 0) -> [String] {
    (start..<start + count).map { index in
        #"{"type":"execution","id":"ex-\#(index)","time":"2026-11-22T10:00:00Z","action":"job.step","status":"succeeded","duration_ms":5,"trace":{"tag":"job-\#(index)"}}"#
    }
}

/// A real OTLP/HTTP sink on a loopback port: records every request, answers from a script (then 200 with an empty
/// protobuf response), optionally slowly.
final class OTLPSink: Sendable {
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields = [:]
        var body: [UInt8] = []
    }

    private let script: Mutex<[Answer]>
    private let received = Mutex<[(headers: HTTPFields, body: [UInt8], at: ContinuousClock.Instant)]>([])
    let delay: Duration

    init(script: [Answer] = [], delay: Duration = .zero) {
        self.script = Mutex(script)
        self.delay = delay
    }

    var requests: [(headers: HTTPFields, body: [UInt8], at: ContinuousClock.Instant)] { received.withLock { $0 } }

    /// The spans of every request received (in order), decoded.
    var spans: [OTLPSpan] {
        requests.flatMap { request -> [OTLPSpan] in
            guard let decoded = try? OTLPExportTraceServiceRequest(serializedBytes: request.body) else { return [] }
            return decoded.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }
        }
    }

    /// Runs the sink while `body` runs, passing its URL.
    func run<Value: Sendable>(_ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let router = Router(context: BasicRequestContext.self)
        router.post("/v1/traces") { [self] request, _ in
            let bytes = Array(try await request.body.collect(upTo: 64 << 20).readableBytesView)
            received.withLock { $0.append((request.headers, bytes, .now)) }
            if delay > .zero { try await Task.sleep(for: delay) }
            let answer = script.withLock { $0.isEmpty ? nil : $0.removeFirst() } ?? Answer(status: .ok)
            var headers = answer.headers
            headers[.contentType] = "application/x-protobuf"
            return Response(
                status: answer.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let port = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "otlp-sink")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(services: [app], logger: logger)
            group.addTask { try await serviceGroup.run() }
            var ports = port.stream.makeAsyncIterator()
            let bound = await ports.next() ?? 0
            defer { group.cancelAll() }
            let value = try await body("http://127.0.0.1:\(bound)/v1/traces")
            await serviceGroup.triggerGracefulShutdown()
            return value
        }
    }
}

/// Runs the built `tracelog` binary (next to the test bundle).
enum TraceLogBinary {
    /// Starts `tracelog` with `arguments`; stdout and stderr go to pipes.
    static func start(_ arguments: [String]) throws -> (process: Process, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltTool.path("tracelog"))
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Runs `tracelog` to the end, waited for off the cooperative pool: status, stdout, stderr.
    static func run(_ arguments: [String]) async throws -> ChildProcessResult {
        try await ChildProcess.run(BuiltTool.path("tracelog"), arguments)
    }
}

/// The integer attribute `key` of a span.
func intAttribute(_ span: OTLPSpan, _ key: String) -> Int64? {
    for attribute in span.attributes where attribute.key == key {
        if case .intValue(let value)? = attribute.value.value { return value }
    }
    return nil
}
