// Forward throughput, measured in one process run against the ingest it follows:
//
//   1. ingest N workload events into a log (the CLI's path: parse, resolve, append; interval durability);
//   2. the exporter alone: the log's records turned into OTLP protobuf requests, in forward's batches; and the
//      receiver alone: those requests stored into a second log (what `tracelog serve` does with them, without HTTP);
//   3. `forward --once` of that log to a null OTLP sink on loopback (answers 200 at once): forward's own cost;
//   4. `forward --once` of that log to a TraceLog receiver on loopback (`tracelog serve`'s POST /v1/traces into a
//      second log): end to end.
//
// Prints a markdown table: records/s and spans/s of each step and its ratio to ingest. "Forward is not the
// bottleneck behind ingest" means steps 3 and 4 run at least as fast as step 1. The receivers run in this process,
// so on a 2-core machine they share the cores with the forwarder (the numbers are a lower bound).
//
//   swift run -c release --package-path Benchmarks tracelog-forward-bench [--events N] [--batch-records N]
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TraceLog
import TraceLogForward
import TraceLogIngest
import TraceLogOTLP
import TraceLogServer
import TraceLogStorage
import TraceLogWorkload

@main
enum ForwardBench {
    static func main() async throws {
        var events = 200_000
        var batchRecords = 1024
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--events": events = Int(arguments.next() ?? "") ?? events
            case "--batch-records": batchRecords = Int(arguments.next() ?? "") ?? batchRecords
            default:
                print("usage: tracelog-forward-bench [--events N] [--batch-records N]")
                return
            }
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-forward-bench-\(getpid())")
            .path
        defer { try? FileManager.default.removeItem(atPath: work) }
        var logger = Logger(label: "forward-bench")
        logger.logLevel = .error
        let (batchSize, quiet, eventCount) = (batchRecords, logger, events)

        // 1. Ingest.
        let source = work + "/source"
        let lines = Array(WorkloadGenerator(configuration: WorkloadConfiguration(seed: 7)).prefix(eventCount))
        let (records, ingestSeconds) = try await timed {
            let store = try WritableTraceStore.open(
                directory: source, options: LogOptions(durability: .interval(milliseconds: 100)))
            let parser = NativeEventParser()
            var chunk: [IncomingEvent] = []
            for (number, line) in lines.enumerated() {
                chunk.append(try parser.parse(line: line, lineNumber: number + 1))
                if chunk.count == 4096 {
                    _ = try await store.ingest(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { _ = try await store.ingest(chunk) }
            let end = store.endSeq
            try store.close()
            return Int(end)
        }
        let reader = try TraceStore.openReadOnly(directory: source)

        // 2. The exporter alone, in forward's batches.
        let ((spans, bytes, bodies), exportSeconds) = try await timed {
            var spans = 0
            var bytes = 0
            var bodies: [[UInt8]] = []
            var next: UInt64 = 0
            while next < reader.reader.endSeq {
                let upper = min(reader.reader.endSeq, next + UInt64(batchSize))
                var cursor = reader.reader.cursor(from: next, to: upper)
                var batch: [StoredRecord] = []
                while let stored = try cursor.next() { batch.append(stored) }
                let request = try OTLPExporter(mode: .forward).protobuf(for: batch)
                spans += request.spans
                bytes += request.body.count
                bodies.append(request.body)
                next = upper
            }
            return (spans, bytes, bodies)
        }

        // 2b. The receiver alone, on those bodies: protobuf → spans → records in a second log, no HTTP.
        let (_, receiveSeconds) = try await timed {
            let store = try WritableTraceStore.open(
                directory: work + "/received", options: LogOptions(durability: .interval(milliseconds: 100)))
            let receiver = OTLPTraceReceiver(store: store)
            for body in bodies { _ = try await receiver.receive(body, encoding: .protobuf) }
            try store.close()
        }

        // 3. Forward to a null sink.
        let nullSeconds = try await withNullSink(logger: logger) { url in
            try await forward(source: source, name: "null", url: url, batchRecords: batchSize, logger: quiet)
        }

        // 4. Forward to a TraceLog receiver.
        let target = try WritableTraceStore.open(
            directory: work + "/target", options: LogOptions(durability: .interval(milliseconds: 100)))
        let server = TraceServer(
            store: target, configuration: ServerConfiguration(port: 0, maximumBodyBytes: 64 << 20), logger: logger)
        let receiverSeconds = try await withApplication(server.makeApplication, logger: logger) { url in
            try await forward(source: source, name: "tracelog", url: url, batchRecords: batchSize, logger: quiet)
        }
        let received = try TraceStore.openReadOnly(directory: work + "/target").reader.endSeq

        func row(_ name: String, _ seconds: Double) -> String {
            let rate = Double(records) / seconds
            let ratio = (Double(records) / seconds) / (Double(records) / ingestSeconds)
            return
                "| \(name) | \(String(format: "%.2f", seconds)) | \(Int(rate)) | \(Int(Double(spans) / seconds)) | \(String(format: "%.2f", ratio))× |"
        }
        print(
            """
            Workload: WorkloadGenerator(seed: 7), \(events) events → \(records) records, \(spans) spans; \
            forward batches of \(batchRecords) records, \(bytes / max(spans, 1)) protobuf bytes per span

            | step | seconds | records/s | spans/s | vs ingest |
            |---|---:|---:|---:|---:|
            \(row("ingest (parse, resolve, append; interval)", ingestSeconds))
            \(row("exporter alone (records → protobuf)", exportSeconds))
            \(row("OTLP receiver alone (protobuf → records of a second log)", receiveSeconds))
            \(row("forward --once → null OTLP sink (loopback)", nullSeconds))
            \(row("forward --once → tracelog serve (loopback)", receiverSeconds))

            The receiving log holds \(received) records (spans plus the traces they created).
            """)
    }

    static func forward(source: String, name: String, url: String, batchRecords: Int, logger: Logger) async throws {
        let store = try TraceStore.openReadOnly(directory: source)
        let forwarder = try OTLPForwarder(
            store: store,
            configuration: ForwardConfiguration(endpoint: url, name: name, batchRecords: batchRecords), logger: logger)
        let statistics = try await forwarder.forward()
        precondition(statistics.lagRecords == 0 && statistics.rejectedSpans == 0, "\(statistics)")
    }

    static func withNullSink(logger: Logger, _ body: @Sendable (String) async throws -> Void) async throws -> Double {
        let router = Router(context: BasicRequestContext.self)
        router.post("/v1/traces") { request, _ in
            _ = try await request.body.collect(upTo: 64 << 20)
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: ResponseBody())
        }
        return try await withApplication(
            { onListening in
                Application(
                    router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await onListening($0.localAddress?.port ?? 0) }, logger: logger)
            }, logger: logger, body)
    }

    /// Runs an application on a free loopback port while `body` runs; returns `body`'s seconds.
    static func withApplication<App: ApplicationProtocol>(
        _ make: (@escaping @Sendable (Int) async -> Void) -> App, logger: Logger,
        _ body: @Sendable (String) async throws -> Void
    ) async throws -> Double {
        let ports = AsyncStream<Int>.makeStream()
        let app = make { ports.continuation.yield($0) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let services = ServiceGroup(services: [app], logger: logger)
            group.addTask { try await services.run() }
            var iterator = ports.stream.makeAsyncIterator()
            let url = "http://127.0.0.1:\(await iterator.next() ?? 0)/v1/traces"
            let (_, seconds) = try await timed { try await body(url) }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return seconds
        }
    }

    static func timed<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> (T, Double) {
        let start = ContinuousClock.now
        let value = try await body()
        let elapsed = ContinuousClock.now - start
        return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
