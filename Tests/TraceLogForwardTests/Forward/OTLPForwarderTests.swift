import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import SwiftProtobuf
import Testing
import TraceLog
import TraceLogServer
import TraceLogStorage

@testable import TraceLogForward
@testable import TraceLogOTLP

@Suite struct OTLPForwarderTests {
    static func quietLogger() -> Logger {
        var logger = Logger(label: "forward-tests")
        logger.logLevel = .critical
        return logger
    }

    /// A long request timeout: a scripted sink counts on each of its answers reaching the forwarder, and on a
    /// loaded 2-core runner a loopback reply once took more than 5 s — the forwarder timed out, resent, and got
    /// the script's next answer (CI saw "records 0...3 refused" where the test expects 4...7). The test of
    /// timeouts sets its own.
    static func configuration(_ url: String, batch: Int = 1024, retries: Int? = nil) -> ForwardConfiguration {
        ForwardConfiguration(
            endpoint: url, batchRecords: batch, requestTimeout: .seconds(120),
            retry: RetryPolicy(
                initialDelay: .milliseconds(10), maximumDelay: .milliseconds(40), maximumRetries: retries))
    }

    @Test func aLogForwardedIntoAnotherTraceLogComesBackEqualAndASecondOnceSendsNothing() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(3))
        // An OTLP trace too, child first.
        var child = OTLPSpan()
        child.traceID = HexID.decode("4bf92f3577b34da6a3ce929d0e0e4736")!
        child.spanID = HexID.decode("2222222222222222")!
        child.parentSpanID = HexID.decode("1111111111111111")!
        child.name = "child"
        child.startTimeUnixNano = 1_795_000_000_000_000_001
        child.endTimeUnixNano = 1_795_000_000_000_000_901
        var root = child
        root.spanID = HexID.decode("1111111111111111")!
        root.parentSpanID = Data()
        root.name = "root"
        var request = OTLPExportTraceServiceRequest()
        request.resourceSpans = [
            OTLPResourceSpans.with { $0.scopeSpans = [OTLPScopeSpans.with { $0.spans = [child, root] }] }
        ]
        _ = try await OTLPTraceReceiver(store: source.store).receive(try request.serializedBytes(), encoding: .protobuf)

        let target = try TemporaryLog()
        let server = TraceServer(
            store: target.store, configuration: ServerConfiguration(port: 0), logger: Self.quietLogger())
        let port = AsyncStream<Int>.makeStream()
        let app = server.makeApplication { port.continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let services = ServiceGroup(services: [app], logger: Self.quietLogger())
            group.addTask { try await services.run() }
            var ports = port.stream.makeAsyncIterator()
            let url = "http://127.0.0.1:\(await ports.next() ?? 0)/v1/traces"
            let reader = try TraceStore.openReadOnly(directory: source.directory)
            let forwarder = try OTLPForwarder(
                store: reader, configuration: Self.configuration(url, batch: 3), logger: Self.quietLogger())
            let statistics = try await forwarder.forward()
            #expect(statistics.spansSent == 5)
            #expect(statistics.cursor == source.store.reader.endSeq - 1)
            #expect(statistics.lagRecords == 0)
            #expect(try ForwardCursor(logDirectory: source.directory, name: "default").load() == statistics.cursor)
            let again = try OTLPForwarder(
                store: reader, configuration: Self.configuration(url, batch: 3), logger: Self.quietLogger())
            let second = try await again.forward()
            #expect(second.requests == 0 && second.spansSent == 0)
            await services.triggerGracefulShutdown()
        }
        // The OTLP trace arrived field for field; the native traces as spans of service "tracelog".
        let traceID = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
        let sent = try #require(try source.store.trace(traceID))
        let arrived = try #require(try TraceStore.openReadOnly(directory: target.directory).trace(traceID))
        #expect(
            OTLPExporter(mode: .trace).json(for: arrived.records) == OTLPExporter(mode: .trace).json(for: sent.records))
        let first = try #require(try source.store.traceID(of: EntityRef(type: .execution, id: "ex-0")))
        let copied = try #require(try TraceStore.openReadOnly(directory: target.directory).trace(first))
        #expect(copied.tag == "tracelog")
        #expect(copied.components.map(\.ref) == ["job.step"])
    }

    @Test func retryableAnswersAreRetriedHonouringRetryAfter() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(2))
        let sink = OTLPSink(script: [
            .init(status: .serviceUnavailable, headers: [.retryAfter: "1"]), .init(status: .tooManyRequests),
            .init(status: .badGateway), .init(status: .gatewayTimeout),
        ])
        let statistics = try await sink.run { url in
            try await OTLPForwarder(
                store: source.store, configuration: Self.configuration(url), logger: Self.quietLogger()
            ).forward()
        }
        let requests = sink.requests
        #expect(requests.count == 5)
        #expect(Set(requests.map(\.body)).count == 1)  // the same batch each time
        #expect(requests[1].at - requests[0].at >= .seconds(1))  // Retry-After: 1
        // A backoff of milliseconds; the bound is loose because a loaded 2-core machine can stall a loopback
        // round trip for seconds (7.9 s seen at load average 12), and a forwarder that slept the default
        // backoff ceiling (30 s) would still fail it.
        #expect(requests[2].at - requests[1].at < .seconds(20))
        #expect(statistics.retries == 4 && statistics.requests == 5 && statistics.spansSent == 2)
        #expect(requests[0].headers[.contentType] == "application/x-protobuf")
    }

    @Test func anotherClientErrorStopsNamingTheBatchAndKeepsTheCursor() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(4))
        var status = OTLPRPCStatus()
        status.code = 3
        status.message = "tenant unknown"
        let sink = OTLPSink(script: [
            .init(status: .ok), .init(status: .badRequest, body: try status.serializedBytes()),
        ])
        try await sink.run { url in
            let forwarder = try? OTLPForwarder(
                store: source.store, configuration: Self.configuration(url, batch: 4), logger: Self.quietLogger())
            await #expect {
                try await forwarder?.forward()
            } throws: { error in
                "\(error)"
                    == "the endpoint refused records 4...7 with HTTP 400: tenant unknown; they were not forwarded (the cursor stays before them)"
            }
        }
        #expect(try ForwardCursor(logDirectory: source.directory, name: "default").load() == 3)
    }

    @Test func aBatchTooLargeForTheEndpointIsSentInHalvesDownToOneRecord() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(4))
        let sink = OTLPSink(script: [.init(status: .contentTooLarge)])
        let statistics = try await sink.run { url in
            try await OTLPForwarder(
                store: source.store, configuration: Self.configuration(url, batch: 8), logger: Self.quietLogger()
            ).forward()
        }
        #expect(sink.requests.count == 3)  // 8 records refused, then 4 and 4
        #expect(statistics.spansSent == 4 && statistics.cursor == 7)
        let tiny = OTLPSink(script: Array(repeating: .init(status: .contentTooLarge), count: 5))
        let other = try TemporaryLog()
        try await other.ingest(executionLines(1))
        try await tiny.run { url in
            let forwarder = try OTLPForwarder(
                store: other.store, configuration: Self.configuration(url, batch: 2), logger: Self.quietLogger())
            await #expect {
                try await forwarder.forward()
            } throws: { error in
                "\(error)".hasPrefix("the endpoint refused records 1...1 with HTTP 413")
            }
        }
    }

    @Test func theCursorIsSavedAtMostEveryIntervalAndAlwaysWhenForwardingStops() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(6))
        let sink = OTLPSink()
        try await sink.run { url in
            var configuration = Self.configuration(url, batch: 2)
            configuration.follow = true
            configuration.pollInterval = .milliseconds(10)
            configuration.cursorInterval = .seconds(3600)
            let forwarder = try OTLPForwarder(
                store: source.store, configuration: configuration, logger: Self.quietLogger())
            let task = Task { try await forwarder.forward() }
            // Generous: on a loaded machine the six batches have taken over 20 s; the check below says if they never came.
            let deadline = ContinuousClock.now + .seconds(120)
            while forwarder.metrics.statistics.cursor != 11, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(forwarder.metrics.statistics.cursor == 11, "the six batches were not all acknowledged in time")
            let cursor = try ForwardCursor(logDirectory: source.directory, name: "default")
            #expect(try cursor.load() == nil)  // six batches acknowledged, none saved yet: the interval has not passed
            task.cancel()
            _ = try await task.value
            #expect(try cursor.load() == 11)  // saved when forwarding stopped
        }
    }

    @Test func connectionErrorsAreRetriedUpToTheLimit() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(1))
        // The discard port, which nothing listens on here.
        let forwarder = try OTLPForwarder(
            store: source.store,
            configuration: {
                var configuration = Self.configuration("http://127.0.0.1:9/v1/traces", retries: 2)
                // AsyncHTTPClient retries a refused connection until the request's deadline.
                configuration.requestTimeout = .milliseconds(300)
                return configuration
            }(),
            logger: Self.quietLogger())
        await #expect {
            try await forwarder.forward()
        } throws: { error in
            "\(error)".hasPrefix("records 0...1 not forwarded after 2 retries:")
        }
        #expect(forwarder.metrics.statistics.retries == 2)
        #expect(forwarder.metrics.statistics.cursor == nil)
    }

    @Test func aPartialSuccessIsAcknowledgedAndItsRejectedSpansCounted() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(3))
        var answer = OTLPExportTraceServiceResponse()
        answer.partialSuccess.rejectedSpans = 2
        answer.partialSuccess.errorMessage = "2 spans too old"
        let sink = OTLPSink(script: [.init(status: .ok, body: try answer.serializedBytes())])
        let statistics = try await sink.run { url in
            try await OTLPForwarder(
                store: source.store, configuration: Self.configuration(url), logger: Self.quietLogger()
            ).forward()
        }
        #expect(statistics.rejectedSpans == 2 && statistics.spansSent == 3 && statistics.requests == 1)
        #expect(statistics.cursor == 5)
    }

    @Test func headersAreSentAndFollowingPicksUpNewRecordsUntilCancelled() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(2))
        let sink = OTLPSink()
        try await sink.run { url in
            var configuration = Self.configuration(url)
            configuration.follow = true
            configuration.pollInterval = .milliseconds(20)
            configuration.headers = [("Authorization", "Bearer t0ken"), ("X-Scope-OrgID", "team-a")]
            let forwarder = try OTLPForwarder(
                store: try TraceStore.openReadOnly(directory: source.directory), configuration: configuration,
                logger: Self.quietLogger())
            let task = Task { try await forwarder.forward() }
            try await source.ingest(executionLines(3, from: 2))
            let deadline = ContinuousClock.now + .seconds(20)
            while forwarder.metrics.statistics.spansSent < 5, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            task.cancel()
            let statistics = try await task.value
            #expect(statistics.spansSent == 5 && statistics.lagRecords == 0 && statistics.lagSeconds == 0)
            let exposition = forwarder.metrics.exposition()
            #expect(exposition.contains(#"tracelog_forward_spans_sent_total{name="default"} 5"#))
            #expect(exposition.contains(#"tracelog_forward_cursor{name="default"} 9"#))
            #expect(exposition.contains(#"tracelog_forward_lag_records{name="default"} 0"#))
            #expect(exposition.contains(#"tracelog_forward_requests_total{name="default",status="200"}"#))
        }
        #expect(sink.requests.allSatisfy { $0.headers[HTTPField.Name("X-Scope-OrgID")!] == "team-a" })
        #expect(sink.requests.allSatisfy { $0.headers[.authorization] == "Bearer t0ken" })
    }

    @Test func namesThatAreNotFileNamesAndEndpointsThatAreNotURLsAreRefused() throws {
        let source = try TemporaryLog()
        #expect(throws: ForwardError.self) {
            try OTLPForwarder(
                store: source.store, configuration: ForwardConfiguration(endpoint: "http://x/v1/traces", name: "../up"))
        }
        #expect(throws: ForwardError.self) {
            try OTLPForwarder(store: source.store, configuration: ForwardConfiguration(endpoint: "collector:4318"))
        }
    }

    @Test func retryDelaysGrowExponentiallyWithJitterAndHonourRetryAfter() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        var random = SystemRandomNumberGenerator()
        for retry in 1...8 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (retry - 1)), .seconds(1))
            let delay = policy.delay(beforeRetry: retry, retryAfter: nil, random: &random)
            #expect(delay >= ceiling / 2 && delay <= ceiling, "retry \(retry): \(delay)")
        }
        #expect(policy.delay(beforeRetry: 3, retryAfter: .seconds(7), random: &random) == .seconds(7))
        #expect(policy.delay(beforeRetry: 3, retryAfter: .seconds(7200), random: &random) == .seconds(300))
        #expect(RetryAfter.parse("120") == .seconds(120))
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(RetryAfter.parse("Wed, 18 Nov 2026 11:06:50 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("soon") == nil)
    }
}
