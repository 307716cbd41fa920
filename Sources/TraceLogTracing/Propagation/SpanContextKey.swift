public import Instrumentation
public import W3CTraceContext

/// Where a span's W3C trace context lives in an `InstrumentationContext`: set by ``TraceLogTracer`` on every span it
/// starts, and by its `extract` from an incoming `traceparent` header (a remote parent).
public enum TraceLogSpanContextKey: InstrumentationContextKey {
    /// The W3C trace context (trace id, span id, flags, trace state).
    public typealias Value = TraceContext
    /// The key's name in context dumps.
    public static var nameOverride: String? { "tracelog-span-context" }
}

extension InstrumentationContext {
    /// The W3C trace context of the current span (or of a remote parent extracted from `traceparent`), if any.
    public var traceLogSpanContext: TraceContext? {
        get { self[TraceLogSpanContextKey.self] }
        set { self[TraceLogSpanContextKey.self] = newValue }
    }
}

/// Whether the span context in an `InstrumentationContext` was extracted from another process's headers.
enum TraceLogRemoteParentKey: InstrumentationContextKey {
    typealias Value = Bool
}
