import Foundation
public import Instrumentation
import Synchronization
import TraceLogOTLP
public import Tracing
public import W3CTraceContext

/// A span of ``TraceLogTracer``: recorded in memory while it runs, handed to its tracer when it ends (once; later
/// `end` calls are ignored), and stored on the tracer's next flush as one execution attempt.
///
/// Thread-safe: attributes, events, links and status may be set from any task.
public final class TraceLogSpan: Span, Sendable {
    /// The span's context: its parent's, plus this span's W3C trace context.
    public let context: InstrumentationContext
    /// This span's trace id, span id and flags.
    public let spanContext: W3CTraceContext.TraceContext
    /// The parent span's id, nil for a root span.
    public let parentSpanID: W3CTraceContext.SpanID?
    /// Whether the parent came from another process (a `traceparent` header).
    public let parentIsRemote: Bool
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let state: Mutex<State>
    private let onEnd: @Sendable (OTLPSpan) -> Void

    private struct State {
        var operationName: String
        var attributes: SpanAttributes = [:]
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var status: SpanStatus?
        var lastErrorMessage: String?
        var ended = false
    }

    init(
        operationName: String, context: InstrumentationContext, spanContext: W3CTraceContext.TraceContext,
        parentSpanID: W3CTraceContext.SpanID?, parentIsRemote: Bool, kind: SpanKind, startNanoseconds: UInt64,
        onEnd: @escaping @Sendable (OTLPSpan) -> Void
    ) {
        self.context = context
        self.spanContext = spanContext
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        state = Mutex(State(operationName: operationName))
        self.onEnd = onEnd
    }

    /// The span's name; may be changed until it ends.
    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    /// The span's attributes; may be changed until it ends.
    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    /// Whether the span still records (until it ends).
    public var isRecording: Bool { state.withLock { !$0.ended } }

    /// Sets the status (OK or ERROR with a message).
    public func setStatus(_ status: SpanStatus) {
        state.withLock { $0.status = status }
    }

    /// Adds an event.
    public func addEvent(_ event: SpanEvent) {
        state.withLock { $0.events.append(event) }
    }

    /// Records an error as an `exception` event (OpenTelemetry's semantic conventions: `exception.type`,
    /// `exception.message`). Its message becomes the status message of an ERROR span that sets none.
    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(reflecting: type(of: error))
        eventAttributes["exception.message"] = String(describing: error)
        let event = SpanEvent(name: "exception", at: instant(), attributes: eventAttributes)
        state.withLock { state in
            state.events.append(event)
            state.lastErrorMessage = String(describing: error)
        }
    }

    /// Adds a link to another span's context.
    public func addLink(_ link: SpanLink) {
        state.withLock { $0.links.append(link) }
    }

    /// Ends the span at `instant` and hands it to the tracer; only the first call counts.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let endNanoseconds = instant().nanosecondsSinceEpoch
        guard
            let finished = state.withLock({ state -> State? in
                guard !state.ended else { return nil }
                state.ended = true
                return state
            })
        else { return }
        onEnd(otlpSpan(finished, endNanoseconds: endNanoseconds))
    }

    private func otlpSpan(_ finished: State, endNanoseconds: UInt64) -> OTLPSpan {
        var span = OTLPSpan()
        span.traceID = SpanConversion.bytes(spanContext.traceID)
        span.spanID = SpanConversion.bytes(spanContext.spanID)
        if let parentSpanID { span.parentSpanID = SpanConversion.bytes(parentSpanID) }
        // OTLP span flags: the W3C trace flags in bits 0–7; bit 8 says bit 9 is set; bit 9: the parent is remote.
        span.flags = UInt32(spanContext.flags.rawValue) | 0x100 | (parentIsRemote ? 0x200 : 0)
        if let state = spanContext.traceStateHeaderValue { span.traceState = state }
        span.name = finished.operationName
        span.kind = SpanConversion.kind(kind)
        span.startTimeUnixNano = startNanoseconds
        span.endTimeUnixNano = max(endNanoseconds, startNanoseconds)
        span.attributes = SpanConversion.attributes(finished.attributes)
        span.events = finished.events.map { event in
            var converted = OTLPSpan.Event()
            converted.name = event.name
            converted.timeUnixNano = event.nanosecondsSinceEpoch
            converted.attributes = SpanConversion.attributes(event.attributes)
            return converted
        }
        span.links = finished.links.compactMap { link in
            guard let target = link.context.traceLogSpanContext else { return nil }
            var converted = OTLPSpan.Link()
            converted.traceID = SpanConversion.bytes(target.traceID)
            converted.spanID = SpanConversion.bytes(target.spanID)
            converted.flags = UInt32(target.flags.rawValue)
            converted.attributes = SpanConversion.attributes(link.attributes)
            return converted
        }
        span.status = OTLPStatus()
        switch finished.status?.code {
        case .ok?: span.status.code = .ok
        case .error?:
            span.status.code = .error
            span.status.message = finished.status?.message ?? finished.lastErrorMessage ?? ""
        case nil: break
        }
        if let message = finished.status?.message, finished.status?.code == .ok { span.status.message = message }
        return span
    }
}
