import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization
public import TraceLog
import TraceLogOTLP
import TraceLogStorage

/// Ships a log to an OTLP/HTTP endpoint in sequence order, at least once, resuming from its cursor
/// (`tracelog forward`).
///
/// Each round reads up to ``ForwardConfiguration/batchRecords`` records after the cursor, turns them into one
/// protobuf `ExportTraceServiceRequest` (``TraceLogOTLP/OTLPExporter`` in forward mode), POSTs it and, once the
/// endpoint acknowledges it (any 2xx), stores the cursor (``ForwardCursor``). Then the next round.
///
/// - Delivery: at least once. A batch is sent again when its acknowledgement was not recorded: after a crash or a
///   kill between the reply and the cursor's `fsync`, after a cancellation mid-request, or when a retry follows a
///   timeout the endpoint had in fact served. Never skipped: the cursor moves only past acknowledged batches.
/// - Retries: connection errors, timeouts, 429 and 502–504 are retried per ``RetryPolicy`` (`Retry-After`
///   honoured). A 413 (the batch is over the endpoint's body limit) halves the batch, for the rest of the run, down
///   to one record. Any other answer outside 2xx stops the forward with ``ForwardError/refused(status:records:message:)``
///   naming the batch's sequence range; a 2xx with a `partialSuccess` is acknowledged (OTLP says not to retry
///   it) and its rejected spans are counted and logged.
/// - Modes: without ``ForwardConfiguration/follow`` it stops at the end of the log; with it, it polls for new
///   records until cancelled (a graceful shutdown cancels it: the batch in flight is sent again next time).
public final class OTLPForwarder: Service, Sendable {
    /// The log read (read-only: forward runs beside the writer, in another process or this one).
    public let store: TraceStore
    /// Where and how.
    public let configuration: ForwardConfiguration
    /// The figures, also as Prometheus metrics.
    public let metrics: ForwardMetrics
    private let transport: any OTLPTransport
    private let cursor: ForwardCursor
    private let logger: Logger
    private let tags = Mutex<[TraceID: String]>([:])
    private let causes = Mutex<[String: EntityRef?]>([:])

    /// A forwarder for `store` (its reader is refreshed as the log grows); checks the name and the endpoint.
    public init(
        store: TraceStore, configuration: ForwardConfiguration, transport: (any OTLPTransport)? = nil,
        logger: Logger = Logger(label: "tracelog.forward")
    ) throws(ForwardError) {
        guard let url = URL(string: configuration.endpoint), ["http", "https"].contains(url.scheme?.lowercased()),
            url.host != nil
        else { throw .invalidEndpoint(configuration.endpoint) }
        self.store = store
        self.configuration = configuration
        self.transport = transport ?? HTTPClientTransport(endpoint: configuration.endpoint)
        cursor = try ForwardCursor(logDirectory: store.directory, name: configuration.name)
        metrics = ForwardMetrics(name: configuration.name)
        self.logger = logger
    }

    /// Runs as a service: forwards until the end of the log (or, following, until a graceful shutdown).
    public func run() async throws {
        _ = try await cancelWhenGracefulShutdown { try await self.forward() }
    }

    /// What has been acknowledged, and what the cursor file says.
    private struct Progress {
        var acknowledged: UInt64?
        var saved: UInt64?
        var lastSave = ContinuousClock.now
    }

    /// Forwards until the end of the log, or, following, until the task is cancelled; returns the figures.
    ///
    /// The cursor is saved at most every ``ForwardConfiguration/cursorInterval`` while batches are acknowledged, and
    /// always when forwarding stops (the end of the log, a cancellation, or an error after acknowledged batches).
    @discardableResult
    public func forward() async throws(ForwardError) -> ForwardStatistics {
        let loaded = try cursor.load()
        var progress = Progress(acknowledged: loaded, saved: loaded)
        metrics.recordCursor(loaded)
        do {
            try await forward(&progress)
        } catch {
            try? save(&progress)  // keep what was acknowledged; the error that stopped forwarding is the one to report
            throw error
        }
        try save(&progress)
        return metrics.statistics
    }

    private func save(_ progress: inout Progress) throws(ForwardError) {
        guard let acknowledged = progress.acknowledged, acknowledged != progress.saved else { return }
        try cursor.store(acknowledged, endpoint: configuration.endpoint)
        progress.saved = acknowledged
        progress.lastSave = .now
    }

    /// A batch read and encoded, ready to send.
    private struct Batch: Sendable {
        var records: ClosedRange<UInt64>
        var recordCount: Int
        var body: [UInt8]
        var spans: Int
    }

    /// Sends batches in order; while one is in flight, the next one is read and encoded (the two take about as long,
    /// and the machine has a core for each).
    private func forward(_ progress: inout Progress) async throws(ForwardError) {
        var next = progress.acknowledged.map { $0 + 1 } ?? 0
        var batchLimit = max(configuration.batchRecords, 1)
        var ready: Batch?
        while !Task.isCancelled {
            do { try store.refresh() } catch { throw .log(error) }
            let (start, end) = (store.reader.startSeq, store.reader.endSeq)
            if next < start {
                logger.warning(
                    "records \(next)..<\(start) were deleted by retention before they were forwarded",
                    metadata: ["forward": "\(configuration.name)"])
                next = start
                ready = nil
            }
            guard next <= end else {
                throw .cursor(
                    "the cursor \(cursor.path) is at \(next - 1), past the end of the log (\(end) records); was the log replaced? delete the cursor to start over"
                )
            }
            try recordLag(next: next, end: end)
            if next == end {
                guard configuration.follow else { break }
                try? await Task.sleep(for: configuration.pollInterval)
                continue
            }
            let batch: Batch
            if let prepared = ready, prepared.records.lowerBound == next {
                batch = prepared
            } else {
                batch = try prepare(from: next, end: end, limit: batchLimit)
            }
            ready = nil
            var rejected = 0
            if batch.spans > 0 {
                async let sending = deliverResult(batch)
                let following =
                    batch.records.upperBound + 1 < end
                    ? try? prepare(from: batch.records.upperBound + 1, end: end, limit: batchLimit) : nil
                switch try await sending.get() {
                case .acknowledged(let refused):
                    rejected = refused
                    ready = following
                case .cancelled: return
                case .tooLarge(let message):
                    // 413: the batch is over the endpoint's body limit. Send halves, down to a single record.
                    guard batch.recordCount > 1 else {
                        throw .refused(status: 413, records: batch.records, message: message)
                    }
                    batchLimit = max(batch.recordCount / 2, 1)
                    logger.warning(
                        "records \(batch.records.lowerBound)...\(batch.records.upperBound): too large for the endpoint (HTTP 413); sending \(batchLimit) records per request from now on",
                        metadata: ["forward": "\(configuration.name)"])
                    continue
                }
            }
            let last = batch.records.upperBound
            progress.acknowledged = last
            if ContinuousClock.now - progress.lastSave >= configuration.cursorInterval { try save(&progress) }
            metrics.recordAcknowledged(spans: batch.spans, records: batch.recordCount, rejected: rejected, cursor: last)
            next = last + 1
        }
    }

    /// Reads up to `limit` records from `next` and encodes their spans.
    private func prepare(from next: UInt64, end: UInt64, limit: Int) throws(ForwardError) -> Batch {
        let records: [StoredRecord]
        do {
            var reading = store.reader.cursor(from: next, to: min(end, next + UInt64(limit)))
            var collected: [StoredRecord] = []
            collected.reserveCapacity(limit)
            while let stored = try reading.next() { collected.append(stored) }
            records = collected
        } catch {
            throw .log(error)
        }
        guard let last = records.last?.seq else {
            throw .log(.invalidArgument("no record readable at sequence number \(next), before the end \(end)"))
        }
        rememberTags(of: records)
        let exporter = OTLPExporter(
            mode: .forward, tag: { [self] in tag(of: $0) }, executionCause: { [self] in cause(ofExecution: $0) })
        do {
            let encoded = try exporter.protobuf(for: records)
            return Batch(records: next...last, recordCount: records.count, body: encoded.body, spans: encoded.spans)
        } catch {
            throw .cursor("cannot encode records \(next)...\(last): \(error)")
        }
    }

    private func deliverResult(_ batch: Batch) async -> Result<Delivery, ForwardError> {
        do { return .success(try await deliver(batch.body, records: batch.records)) } catch { return .failure(error) }
    }

    /// How the delivery of a batch ended.
    private enum Delivery {
        /// A 2xx; the spans a partial success says were rejected.
        case acknowledged(rejected: Int)
        /// 413, with the endpoint's message: the batch must be split.
        case tooLarge(String)
        /// The task was cancelled (graceful shutdown): the batch goes again next time.
        case cancelled
    }

    /// Sends one batch until it is acknowledged, retrying what OTLP calls retryable.
    private func deliver(_ body: [UInt8], records: ClosedRange<UInt64>) async throws(ForwardError) -> Delivery {
        var retry = 0
        var random = SystemRandomNumberGenerator()
        while true {
            if Task.isCancelled { return .cancelled }
            let problem: String
            var retryAfter: Duration?
            do {
                let response = try await transport.send(
                    body, headers: configuration.headers, timeout: configuration.requestTimeout)
                metrics.recordRequest(status: response.status)
                switch response.status {
                case 200..<300:
                    return .acknowledged(rejected: rejectedSpans(in: response, records: records))
                case 413:
                    return .tooLarge(Self.message(in: response))
                case 429, 502, 503, 504:
                    problem = "HTTP \(response.status)"
                    retryAfter = RetryAfter.parse(response.retryAfter)
                default:
                    throw ForwardError.refused(
                        status: response.status, records: records, message: Self.message(in: response))
                }
            } catch let error as ForwardError {
                throw error
            } catch is CancellationError {
                return .cancelled
            } catch {
                if Task.isCancelled { return .cancelled }
                metrics.recordRequest(status: nil)
                problem = "\(error)"
            }
            retry += 1
            if let limit = configuration.retry.maximumRetries, retry > limit {
                throw .retriesExhausted(records: records, retries: retry - 1, lastProblem: problem)
            }
            let delay = configuration.retry.delay(beforeRetry: retry, retryAfter: retryAfter, random: &random)
            logger.warning(
                "records \(records.lowerBound)...\(records.upperBound): \(problem); retry \(retry) in \(delay)",
                metadata: ["forward": "\(configuration.name)"])
            metrics.recordRetry()
            do { try await Task.sleep(for: delay) } catch { return .cancelled }
        }
    }

    /// The spans a 2xx answer says were rejected (its `partialSuccess`), logged; 0 for an empty or unreadable body.
    private func rejectedSpans(in response: TransportResponse, records: ClosedRange<UInt64>) -> Int {
        guard !response.body.isEmpty, let answer = try? Self.decodeResponse(response) else { return 0 }
        let partial = answer.partialSuccess
        if partial.rejectedSpans > 0 || !partial.errorMessage.isEmpty {
            logger.warning(
                "records \(records.lowerBound)...\(records.upperBound): the endpoint rejected \(partial.rejectedSpans) spans: \(partial.errorMessage)",
                metadata: ["forward": "\(configuration.name)"])
        }
        return Int(clamping: partial.rejectedSpans)
    }

    private static func decodeResponse(_ response: TransportResponse) throws -> OTLPExportTraceServiceResponse {
        if let type = response.contentType, OTLPEncoding(contentType: type) == .json {
            return try OTLPJSONDecoder().response(from: response.body)
        }
        return try OTLPExportTraceServiceResponse(serializedBytes: response.body)
    }

    /// What a refusal says: a `google.rpc.Status` message when the body is one, else its text (first 300 bytes).
    private static func message(in response: TransportResponse) -> String {
        if let type = response.contentType, OTLPEncoding(contentType: type) == .protobuf,
            let status = try? OTLPRPCStatus(serializedBytes: response.body)
        {
            return status.message
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func recordLag(next: UInt64, end: UInt64) throws(ForwardError) {
        var seconds = 0.0
        if next < end {
            do {
                let oldest = try store.reader.record(at: next)
                seconds = max(Double(Timestamp.now().microseconds - oldest.record.time.microseconds) / 1e6, 0)
            } catch {
                throw .log(error)
            }
        }
        metrics.recordLag(records: end - next, seconds: seconds)
    }

    /// An execution's cause, from its earlier records (a later attempt's batch may not hold the first); cached like
    /// tags, "no cause" included (root executions would otherwise be looked up in every batch that holds them).
    private func cause(ofExecution id: String) -> EntityRef? {
        if let known = causes.withLock({ $0[id] }) { return known }
        let records = (try? store.reader.records(.execution, key: id)) ?? []
        let cause = records.lazy.compactMap { stored -> EntityRef? in
            guard case .executionAttempt(let attempt) = stored.record.body, attempt.id == id else { return nil }
            return stored.record.body.cause
        }.first
        causes.withLock { cache in
            if cache.count >= 100_000 { cache.removeAll(keepingCapacity: true) }
            cache[id] = .some(cause)
        }
        return cause
    }

    /// Caches the tags of the traces that start in `records`: forward reads in sequence order, so nearly every trace's
    /// start passes by before its other records, and its tag costs no lookup.
    private func rememberTags(of records: [StoredRecord]) {
        let starts = records.compactMap { stored -> (TraceID, String)? in
            guard case .traceStart(let start) = stored.record.body else { return nil }
            return (stored.record.traceID, start.tag)
        }
        guard !starts.isEmpty else { return }
        tags.withLock { cache in
            if cache.count + starts.count > 100_000 { cache.removeAll(keepingCapacity: true) }
            for (traceID, tag) in starts { cache[traceID] = tag }
        }
    }

    /// A trace's tag, for spans that did not come from OTLP (cached; the cache is dropped past 100,000 traces).
    private func tag(of traceID: TraceID) -> String? {
        if let known = tags.withLock({ $0[traceID] }) { return known }
        guard let start = try? store.reader.traceStart(of: traceID),
            let stored = try? store.reader.record(at: start.seq),
            case .traceStart(let traceStart) = stored.record.body
        else { return nil }
        tags.withLock { cache in
            if cache.count >= 100_000 { cache.removeAll(keepingCapacity: true) }
            cache[traceID] = traceStart.tag
        }
        return traceStart.tag
    }
}
