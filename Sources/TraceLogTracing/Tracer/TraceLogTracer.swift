import Foundation
public import Instrumentation
public import Logging
public import ServiceLifecycle
import Synchronization
public import TraceLog
import TraceLogOTLP
public import TraceLogStorage
public import Tracing
import W3CTraceContext

/// A swift-distributed-tracing `Tracer` that records a Swift program's spans into its local TraceLog.
///
/// ```swift
/// let store = try WritableTraceStore.open(directory: "/var/lib/app/tracelog")
/// let tracer = TraceLogTracer(store: store, serviceName: "checkout")
/// InstrumentationSystem.bootstrap(tracer)
/// let group = ServiceGroup(services: [tracer, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()   // the tracer is listed first, so it stops last and stores the spans ended before
/// try store.close()
/// ```
///
/// - Spans are OpenTelemetry spans: each becomes one execution attempt exactly as a span received over OTLP does
///   (``TraceLogOTLP/SpanMapping``): the trace's tag is `serviceName`, a child is caused by its parent span, an
///   ERROR status is a `TERMINAL` failure, and `tracelog export --format otlp` gives the spans back.
/// - Spans may end in any order (children usually end first, concurrent ones in any order); each ended span is
///   buffered and stored by the next flush: every ``flushInterval`` while the tracer runs as a `Service`, on
///   ``forceFlush()``, on ``flush()``, and once more on graceful shutdown. A span that has not ended is not stored.
/// - W3C trace context: `inject` writes `traceparent` (and `tracestate`) of the current span; `extract` reads them,
///   so a span started in that context continues the caller's trace (its parent is the caller's span, marked
///   remote).
/// - At most ``maximumBufferedSpans`` ended spans wait for a flush; past that a span is dropped and counted in
///   ``droppedSpans`` (the program never blocks on the log).
public final class TraceLogTracer: Tracer, Service, Sendable {
    /// The store spans are written to (opened read-write by the caller, who closes it after the tracer stopped).
    public let store: WritableTraceStore
    /// The resource's `service.name`: the tag of the traces this program starts.
    public let serviceName: String
    /// How often a running tracer stores ended spans.
    public let flushInterval: Duration
    /// How many ended spans may wait for a flush.
    public let maximumBufferedSpans: Int
    private let resource: OTLPResourceSpans
    private let scope: OTLPScopeSpans
    private let logger: Logger
    private let buffer = Mutex<[OTLPSpan]>([])
    private let dropped = Atomic<Int>(0)
    private let flushing = Mutex<Task<Void, Never>?>(nil)

    /// A tracer writing to `store`; `resourceAttributes` are added to the resource besides `service.name`.
    public init(
        store: WritableTraceStore, serviceName: String, resourceAttributes: [String: String] = [:],
        flushInterval: Duration = .seconds(1), maximumBufferedSpans: Int = 100_000,
        logger: Logger = Logger(label: "tracelog.tracing")
    ) {
        self.store = store
        self.serviceName = serviceName
        self.flushInterval = flushInterval
        self.maximumBufferedSpans = maximumBufferedSpans
        self.logger = logger
        var resource = OTLPResourceSpans()
        var attributes = [("service.name", serviceName), ("telemetry.sdk.name", "tracelog-tracing")]
        attributes += resourceAttributes.sorted { $0.key < $1.key }.filter { $0.key != "service.name" }
        resource.resource.attributes = attributes.map { key, value in
            var attribute = OTLPKeyValue()
            attribute.key = key
            attribute.value.value = .stringValue(value)
            return attribute
        }
        self.resource = resource
        var scope = OTLPScopeSpans()
        scope.scope.name = "TraceLogTracing"
        self.scope = scope
    }

    /// Spans dropped because the buffer was full.
    public var droppedSpans: Int { dropped.load(ordering: .relaxed) }

    // MARK: Tracer

    /// Starts a span: a child of the span in `context` (local or extracted), or the root of a new trace.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> TraceLogSpan {
        var spanContext = context()
        let parent = spanContext.traceLogSpanContext
        let parentIsRemote = spanContext[TraceLogRemoteParentKey.self] ?? false
        let own = W3CTraceContext.TraceContext(
            traceID: parent?.traceID ?? .random(), spanID: .random(), flags: parent?.flags ?? .sampled,
            state: parent?.state ?? TraceState())
        spanContext.traceLogSpanContext = own
        spanContext[TraceLogRemoteParentKey.self] = false
        return TraceLogSpan(
            operationName: operationName, context: spanContext, spanContext: own, parentSpanID: parent?.spanID,
            parentIsRemote: parentIsRemote, kind: kind, startNanoseconds: instant().nanosecondsSinceEpoch
        ) { [self] span in enqueue(span) }
    }

    /// Starts storing the ended spans now, without waiting (the `Tracer` protocol's flush is synchronous); use
    /// ``flush()`` to wait.
    public func forceFlush() {
        flushing.withLock { task in
            let previous = task
            task = Task {
                await previous?.value
                try? await self.flush()
            }
        }
    }

    // MARK: Instrument

    /// Writes the current span's `traceparent` (and `tracestate`) into `carrier`.
    public func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let spanContext = context.traceLogSpanContext else { return }
        injector.inject(spanContext.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let state = spanContext.traceStateHeaderValue, !state.isEmpty {
            injector.inject(state, forKey: "tracestate", into: &carrier)
        }
    }

    /// Reads `traceparent` (and `tracestate`) from `carrier` into `context`; a missing or malformed header leaves
    /// `context` as it is (a new trace will start).
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        guard let parent = extractor.extract(key: "traceparent", from: carrier),
            let extracted = try? W3CTraceContext.TraceContext(
                traceParentHeaderValue: parent,
                traceStateHeaderValue: extractor.extract(key: "tracestate", from: carrier))
        else { return }
        context.traceLogSpanContext = extracted
        context[TraceLogRemoteParentKey.self] = true
    }

    // MARK: Storing

    private func enqueue(_ span: OTLPSpan) {
        let accepted = buffer.withLock { buffered in
            guard buffered.count < maximumBufferedSpans else { return false }
            buffered.append(span)
            return true
        }
        if !accepted { dropped.add(1, ordering: .relaxed) }
    }

    /// Stores every span ended so far (one atomic-per-span ingest call); returns once they are durable per the
    /// store's mode. A span the log refuses (a span id stored already) is logged and skipped.
    public func flush() async throws(LogError) {
        let spans = buffer.withLock { buffered in
            defer { buffered.removeAll(keepingCapacity: true) }
            return buffered
        }
        guard !spans.isEmpty else { return }
        var events: [IncomingEvent] = []
        for span in spans {
            do {
                events.append(
                    try SpanMapping.event(for: span, scope: scope, resource: resource, serviceName: serviceName))
            } catch {
                logger.warning("span \(span.name) not stored: \(error)")
            }
        }
        let result = try await store.ingest(events, atomic: false)
        for rejection in result.rejected {
            logger.warning("span not stored: \(rejection.error)")
        }
    }

    // MARK: Service

    /// Stores ended spans every ``flushInterval`` until a graceful shutdown (or cancellation), then stores the rest.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: self.flushInterval)
                do { try await self.flush() } catch { self.logger.error("storing spans failed: \(error)") }
            }
        }
        await flushing.withLock { $0 }?.value
        try await flush()
    }
}
