import CoreMetrics
public import Prometheus
import Synchronization

/// What a forward has done so far.
public struct ForwardStatistics: Hashable, Sendable {
    /// Spans the endpoint acknowledged (refused ones of a partial success included; see ``rejectedSpans``).
    public var spansSent = 0
    /// Records whose spans were acknowledged (the cursor moved past them).
    public var recordsForwarded = 0
    /// Requests sent, retries included.
    public var requests = 0
    /// Retries of batches.
    public var retries = 0
    /// Spans the endpoint reported as rejected in a partial success (not retried, as OTLP says).
    public var rejectedSpans = 0
    /// The last acknowledged sequence number; nil before the first.
    public var cursor: UInt64?
    /// Records in the log not acknowledged yet.
    public var lagRecords: UInt64 = 0
    /// Age of the oldest record not acknowledged yet, in seconds (0 when caught up).
    public var lagSeconds: Double = 0
}

/// A forward's metrics: counters and gauges in its own Prometheus registry (`tracelog forward --metrics-port`
/// serves them), and the same figures as a ``ForwardStatistics`` value.
///
/// Names: `tracelog_forward_spans_sent_total`, `tracelog_forward_records_forwarded_total`,
/// `tracelog_forward_requests_total{status}` (`status` is the HTTP code, or `error` for a connection error),
/// `tracelog_forward_retries_total`, `tracelog_forward_spans_rejected_total`, `tracelog_forward_cursor`,
/// `tracelog_forward_lag_records`, `tracelog_forward_lag_seconds`; each with the dimension `name` (the forward's name).
public final class ForwardMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let name: String
    private let spansSent: CoreMetrics.Counter
    private let recordsForwarded: CoreMetrics.Counter
    private let retries: CoreMetrics.Counter
    private let rejectedSpans: CoreMetrics.Counter
    private let cursorGauge: CoreMetrics.Gauge
    private let lagRecordsGauge: CoreMetrics.Gauge
    private let lagSecondsGauge: CoreMetrics.Gauge
    private let requestCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let state = Mutex(ForwardStatistics())

    /// Metrics for the forward `name`.
    public init(name: String) {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        self.name = name
        let dimensions = [("name", name)]
        spansSent = CoreMetrics.Counter(
            label: "tracelog_forward_spans_sent_total", dimensions: dimensions, factory: factory)
        recordsForwarded = CoreMetrics.Counter(
            label: "tracelog_forward_records_forwarded_total", dimensions: dimensions, factory: factory)
        retries = CoreMetrics.Counter(label: "tracelog_forward_retries_total", dimensions: dimensions, factory: factory)
        rejectedSpans = CoreMetrics.Counter(
            label: "tracelog_forward_spans_rejected_total", dimensions: dimensions, factory: factory)
        cursorGauge = CoreMetrics.Gauge(label: "tracelog_forward_cursor", dimensions: dimensions, factory: factory)
        lagRecordsGauge = CoreMetrics.Gauge(
            label: "tracelog_forward_lag_records", dimensions: dimensions, factory: factory)
        lagSecondsGauge = CoreMetrics.Gauge(
            label: "tracelog_forward_lag_seconds", dimensions: dimensions, factory: factory)
    }

    /// The figures so far.
    public var statistics: ForwardStatistics { state.withLock { $0 } }

    /// The Prometheus text exposition.
    public func exposition() -> String { registry.emitToString() }

    func recordRequest(status: Int?) {
        let label = status.map(String.init) ?? "error"
        let counter = requestCounters.withLock { counters in
            if let existing = counters[label] { return existing }
            let created = CoreMetrics.Counter(
                label: "tracelog_forward_requests_total", dimensions: [("name", name), ("status", label)],
                factory: factory)
            counters[label] = created
            return created
        }
        counter.increment()
        state.withLock { $0.requests += 1 }
    }

    func recordRetry() {
        retries.increment()
        state.withLock { $0.retries += 1 }
    }

    func recordAcknowledged(spans: Int, records: Int, rejected: Int, cursor: UInt64) {
        spansSent.increment(by: spans)
        recordsForwarded.increment(by: records)
        if rejected > 0 { rejectedSpans.increment(by: rejected) }
        cursorGauge.record(Double(cursor))
        state.withLock { statistics in
            statistics.spansSent += spans
            statistics.recordsForwarded += records
            statistics.rejectedSpans += rejected
            statistics.cursor = cursor
        }
    }

    func recordCursor(_ cursor: UInt64?) {
        if let cursor { cursorGauge.record(Double(cursor)) }
        state.withLock { $0.cursor = cursor }
    }

    func recordLag(records: UInt64, seconds: Double) {
        lagRecordsGauge.record(Double(records))
        lagSecondsGauge.record(seconds)
        state.withLock { statistics in
            statistics.lagRecords = records
            statistics.lagSeconds = seconds
        }
    }
}
