import CoreMetrics
import Prometheus
import Synchronization
import TraceLog
import TraceLogStorage

/// The server's metrics, kept in its own Prometheus registry (never the process-wide `MetricsSystem`, so that
/// several servers in one process — tests — do not share counters).
///
/// Ingest counters are updated as requests are served; the `fdatasync` figures are read from
/// ``LogWriter/syncStatistics`` when `/metrics` is scraped.
final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let recordsAppended: CoreMetrics.Counter
    private let eventsAccepted: CoreMetrics.Counter
    private let eventsRejected: CoreMetrics.Counter
    private let ingestBatches: CoreMetrics.Counter
    private let syncCount: CoreMetrics.Counter
    private let syncSeconds: CoreMetrics.FloatingPointCounter
    /// 1 once the writer stopped after a failed write or `fdatasync` (see ``WriterHealth``), else 0.
    private let writerStopped: CoreMetrics.Gauge
    /// The last `syncStatistics` reported, so counters advance by the difference.
    private let lastSync = Mutex<(count: Int, nanoseconds: UInt64)>((0, 0))
    private let requestMetrics = Mutex<[RequestKey: (count: CoreMetrics.Counter, duration: CoreMetrics.Timer)]>([:])

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        recordsAppended = CoreMetrics.Counter(label: "tracelog_records_appended_total", factory: factory)
        eventsAccepted = CoreMetrics.Counter(label: "tracelog_events_accepted_total", factory: factory)
        eventsRejected = CoreMetrics.Counter(label: "tracelog_events_rejected_total", factory: factory)
        ingestBatches = CoreMetrics.Counter(label: "tracelog_ingest_batches_total", factory: factory)
        syncCount = CoreMetrics.Counter(label: "tracelog_fsync_total", factory: factory)
        syncSeconds = CoreMetrics.FloatingPointCounter(label: "tracelog_fsync_seconds_total", factory: factory)
        writerStopped = CoreMetrics.Gauge(label: "tracelog_writer_stopped", factory: factory)
        writerStopped.record(0)
    }

    /// Counts one ingest call that wrote `records` records for `accepted` events.
    func recordIngest(records: Int, accepted: Int) {
        recordsAppended.increment(by: records)
        eventsAccepted.increment(by: accepted)
        ingestBatches.increment()
    }

    /// Counts events of a rejected request.
    func recordRejected(_ count: Int) {
        eventsRejected.increment(by: count)
    }

    /// Counts one served request and its latency, by route (the pattern, not the concrete path).
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = RequestKey(route: route, method: method, status: status)
        let metrics = requestMetrics.withLock { cache in
            if let existing = cache[key] { return existing }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let created = (
                CoreMetrics.Counter(label: "tracelog_http_requests_total", dimensions: dimensions, factory: factory),
                CoreMetrics.Timer(
                    label: "tracelog_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            cache[key] = created
            return created
        }
        metrics.count.increment()
        metrics.duration.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition, after bringing the `fdatasync` counters and the writer gauge up to date.
    func exposition(store: WritableTraceStore, health: WriterHealth) -> String {
        writerStopped.record(health.stopReason == nil ? 0 : 1)
        do {
            let current = store.syncStatistics
            let previous = lastSync.withLock { last in
                defer { last = current }
                return last
            }
            if current.count > previous.count { syncCount.increment(by: current.count - previous.count) }
            if current.nanoseconds > previous.nanoseconds {
                syncSeconds.increment(by: Double(current.nanoseconds - previous.nanoseconds) / 1e9)
            }
        }
        return registry.emitToString()
    }
}
