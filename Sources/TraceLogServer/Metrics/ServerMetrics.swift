import Prometheus
import Synchronization
import TraceLog
import TraceLogStorage

/// The server's metrics, kept in its own Prometheus registry (never the process-wide `MetricsSystem`, so that
/// several servers in one process — tests — do not share counters). Every metric has a `# HELP` line.
///
/// Ingest and request counters are updated as requests are served; when `/metrics` is scraped, the log's gauges
/// (records, traces, segments, bytes, oldest and newest record time) are read from the log's statistics (one
/// pass over the batch tables), the `fdatasync` figures from the writer, and the process figures from `/proc`.
final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry: PrometheusCollectorRegistry
    private let recordsAppended: Counter
    private let eventsAccepted: Counter
    private let eventsRejected: Counter
    private let ingestBatches: Counter
    private let syncCount: Counter
    private let syncSeconds: Counter
    /// 1 once the writer stopped after a failed write or `fdatasync` (see ``WriterHealth``), else 0.
    private let writerStopped: Gauge
    private let logGauges: [String: Gauge]
    /// The last `syncStatistics` reported, so counters advance by the difference.
    private let lastSync = Mutex<(count: Int, nanoseconds: UInt64)>((0, 0))
    private let requestMetrics = Mutex<[RequestKey: (count: Counter, duration: DurationHistogram)]>([:])

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// The log gauges: name → help.
    static let logGaugeHelp: [(String, String)] = [
        ("records", "Records in the log."), ("traces", "Traces in the log (trace-start records)."),
        ("segments", "Segment files of the log."), ("disk_bytes", "Bytes on disk: segments and index files."),
        ("oldest_record_timestamp_seconds", "Time of the oldest record in the log (Unix seconds)."),
        ("newest_record_timestamp_seconds", "Time of the newest record in the log (Unix seconds)."),
        ("damaged_regions", "Damaged regions known in the log (tracelog verify names them)."),
    ]

    init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func counter(_ name: String, _ help: String) -> Counter {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "tracelog", metricName: name, unitName: "total", helpText: help))
        }
        recordsAppended = counter("records_appended", "Records appended by this server.")
        eventsAccepted = counter("events_accepted", "Events accepted by the ingest routes.")
        eventsRejected = counter("events_rejected", "Events of rejected ingest requests.")
        ingestBatches = counter("ingest_batches", "Ingest calls that stored something.")
        syncCount = counter("fsync", "fdatasync calls of the log writer.")
        syncSeconds = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tracelog", metricName: "fsync_seconds", unitName: "total",
                helpText: "Time spent in fdatasync by the log writer."))
        writerStopped = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "tracelog", metricName: "writer_stopped", unitName: "",
                helpText: "1 once a failed write or fdatasync stopped the writer (restart after fixing the cause)."))
        writerStopped.set(to: 0.0)
        var gauges: [String: Gauge] = [:]
        for (name, help) in Self.logGaugeHelp {
            gauges[name] = registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "tracelog_log", metricName: name, unitName: "", helpText: help))
        }
        logGauges = gauges
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "tracelog", metricName: "build_info", unitName: "",
                helpText: "Always 1; the labels name the TraceLog version and the Swift it was built with."),
            labels: [("version", TraceLogVersion.current), ("swift", Self.swiftVersion)]
        ).set(to: 1.0)
    }

    /// The Swift language version this was compiled with.
    static var swiftVersion: String {
        #if swift(>=6.3)
            "6.3"
        #elseif swift(>=6.2)
            "6.2"
        #else
            "6.1"
        #endif
    }

    /// Counts one ingest call that wrote `records` records for `accepted` events.
    func recordIngest(records: Int, accepted: Int) {
        recordsAppended.increment(by: Int64(records))
        eventsAccepted.increment(by: Int64(accepted))
        ingestBatches.increment()
    }

    /// Counts events of a rejected request.
    func recordRejected(_ count: Int) {
        eventsRejected.increment(by: Int64(count))
    }

    /// Counts one served request and its latency, by route (the pattern, not the concrete path: every path that
    /// matched no route counts under `unmatched`).
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = RequestKey(route: route, method: method, status: status)
        let metrics = requestMetrics.withLock { cache in
            if let existing = cache[key] { return existing }
            let labels = [("route", route), ("method", method), ("status", String(status))]
            let created = (
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "tracelog", metricName: "http_requests", unitName: "total",
                        helpText: "HTTP requests answered, by route pattern, method and status."),
                    labels: labels),
                registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(
                        namespace: "tracelog", metricName: "http_request_duration", unitName: "seconds",
                        helpText: "Time to answer an HTTP request, by route pattern, method and status."),
                    labels: labels,
                    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map {
                        Duration.nanoseconds(Int64($0 * 1e9))
                    })
            )
            cache[key] = created
            return created
        }
        metrics.count.increment()
        metrics.duration.recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition, after bringing the log gauges, the `fdatasync` counters and the writer
    /// gauge up to date; then the fsync latency histogram and the process metrics.
    func exposition(store: WritableTraceStore, health: WriterHealth) -> String {
        writerStopped.set(to: health.stopReason == nil ? 0.0 : 1.0)
        let current = store.syncStatistics
        let previous = lastSync.withLock { last in
            defer { last = current }
            return last
        }
        if current.count > previous.count { syncCount.increment(by: Int64(current.count - previous.count)) }
        if current.nanoseconds > previous.nanoseconds {
            syncSeconds.increment(by: Double(current.nanoseconds - previous.nanoseconds) / 1e9)
        }
        if let statistics = try? store.reader.statistics() {
            logGauges["records"]?.set(to: Double(statistics.records))
            logGauges["traces"]?.set(to: Double(statistics.traces))
            logGauges["segments"]?.set(to: Double(statistics.segments))
            logGauges["disk_bytes"]?.set(to: Double(statistics.segmentBytes + statistics.indexBytes))
            logGauges["oldest_record_timestamp_seconds"]?.set(
                to:
                    Double(statistics.oldestRecordTime?.microseconds ?? 0) / 1e6)
            logGauges["newest_record_timestamp_seconds"]?.set(
                to:
                    Double(statistics.newestRecordTime?.microseconds ?? 0) / 1e6)
            logGauges["damaged_regions"]?.set(to: Double(statistics.damage.count))
        }
        var text = registry.emitToString()
        text += Self.histogramText(store.syncLatency)
        text += ProcessMetrics.read().text
        return text
    }

    /// `tracelog_fsync_duration_seconds` as Prometheus histogram text (cumulative buckets, `+Inf`, sum, count).
    static func histogramText(_ histogram: SyncLatencyHistogram) -> String {
        let name = "tracelog_fsync_duration_seconds"
        var text = "# HELP \(name) Latency of the log writer's fdatasync calls.\n# TYPE \(name) histogram\n"
        var cumulative = 0
        for (index, bound) in SyncLatencyHistogram.bounds.enumerated() {
            cumulative += histogram.counts[index]
            text += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{le=\"+Inf\"} \(histogram.count)\n"
        text += "\(name)_sum \(Double(histogram.nanoseconds) / 1e9)\n\(name)_count \(histogram.count)\n"
        return text
    }
}
