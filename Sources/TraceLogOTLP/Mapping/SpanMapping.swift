import Foundation
public import TraceLog
import TraceLogStorage

/// A span of an OTLP request that cannot become a record: where it is in the request, and why.
public struct SpanRejection: Hashable, Sendable, CustomStringConvertible {
    /// Its path in the request, e.g. `resourceSpans[0].scopeSpans[0].spans[3]`.
    public var path: String
    /// Why it was refused.
    public var reason: String

    /// `<path>: <reason>`.
    public var description: String { "\(path): \(reason)" }
}

/// One span of a request as the event to ingest, with its path in the request (for rejections after trace
/// resolution).
public struct MappedSpan: Hashable, Sendable {
    /// The execution attempt, its time, its trace (`{id, tag: service.name}`) and the OpenTelemetry resolution mode.
    public var event: IncomingEvent
    /// Its path in the request.
    public var path: String
}

/// The OTLP → TraceLog mapping (SPEC §10): one span is one execution attempt.
///
/// - the span's trace id is the record's trace id, and the trace's tag is the resource's `service.name`
///   (`unknown_service` without one, as OpenTelemetry SDKs name such services);
/// - id: the span id (16 lowercase hex); action: the span name; `caused_by`: the parent span, as an execution;
///   time: the start (microseconds); `duration_ms`: end − start; status ERROR: failure `TERMINAL` with the status
///   message, status `failed` (otherwise `succeeded`);
/// - everything else — kind, nanosecond times, attributes, events, links, status, trace state, flags, resource and
///   scope with their schema URLs — is kept as OTLP/JSON in ``TraceLogStorage/ExecutionAttempt/otlp``, so that
///   ``OTLPExporter`` gives the span back field for field.
///
/// A span is refused (the rest of its request is still stored) when its trace id is not 16 bytes or is all zero,
/// its span id is not 8 bytes or is all zero, its parent span id is neither empty nor 8 bytes, its name is empty,
/// or its attributes nest so deep that the stored record could not be replayed as a native line.
public enum SpanMapping {
    /// The tag of a trace whose resource has no `service.name`.
    public static let unknownService = "unknown_service"
    /// The deepest the stored remainder may nest: a native line (`tracelog replay`) holds it one level down, and
    /// native lines nest at most 64 levels.
    static let maximumRemainderDepth = 63

    /// The events of every span in `request`, in request order, and the spans refused.
    package static func events(from request: OTLPExportTraceServiceRequest) -> (
        spans: [MappedSpan], rejected: [SpanRejection]
    ) {
        var spans: [MappedSpan] = []
        var rejected: [SpanRejection] = []
        for (resourceIndex, resourceSpans) in request.resourceSpans.enumerated() {
            let serviceName = serviceName(of: resourceSpans.resource)
            for (scopeIndex, scopeSpans) in resourceSpans.scopeSpans.enumerated() {
                let template = Remainder.Template(scope: scopeSpans, resource: resourceSpans)
                for (spanIndex, span) in scopeSpans.spans.enumerated() {
                    let path = "resourceSpans[\(resourceIndex)].scopeSpans[\(scopeIndex)].spans[\(spanIndex)]"
                    do {
                        let event = try event(for: span, template: template, serviceName: serviceName)
                        spans.append(MappedSpan(event: event, path: path))
                    } catch {
                        rejected.append(SpanRejection(path: path, reason: error.reason))
                    }
                }
            }
        }
        return (spans, rejected)
    }

    /// The `service.name` attribute of a resource, or ``unknownService``.
    package static func serviceName(of resource: OTLPResource) -> String {
        for attribute in resource.attributes where attribute.key == "service.name" {
            if case .stringValue(let name)? = attribute.value.value, !name.isEmpty { return name }
        }
        return unknownService
    }

    /// The event of one span.
    package static func event(
        for span: OTLPSpan, scope: OTLPScopeSpans, resource: OTLPResourceSpans, serviceName: String
    ) throws(OTLPDecodingError) -> IncomingEvent {
        try event(for: span, template: Remainder.Template(scope: scope, resource: resource), serviceName: serviceName)
    }

    /// The event of one span, its remainder built on the shared part of its resource's and scope's remainders.
    static func event(for span: OTLPSpan, template: Remainder.Template, serviceName: String)
        throws(OTLPDecodingError) -> IncomingEvent
    {
        guard let traceID = HexID.traceID(span.traceID) else {
            throw OTLPDecodingError(reason: "traceId must be 16 bytes, not all zero (got \(describe(span.traceID)))")
        }
        guard HexID.isSpanID(span.spanID) else {
            throw OTLPDecodingError(reason: "spanId must be 8 bytes, not all zero (got \(describe(span.spanID)))")
        }
        guard span.parentSpanID.isEmpty || span.parentSpanID.count == 8 else {
            throw OTLPDecodingError(
                reason: "parentSpanId must be empty or 8 bytes (got \(describe(span.parentSpanID)))")
        }
        guard !span.name.isEmpty else { throw OTLPDecodingError(reason: "the span has no name") }
        let hasParent = HexID.isSpanID(span.parentSpanID)
        let remainder = template.encode(span: span, keepsParent: !hasParent)
        guard remainder.depth <= maximumRemainderDepth else {
            throw OTLPDecodingError(
                reason: "attributes nest too deep: the span would need \(remainder.depth + 1) JSON levels, more than 64"
            )
        }
        let failed = span.status.code == .error
        let start = span.startTimeUnixNano
        let end = span.endTimeUnixNano
        let attempt = ExecutionAttempt(
            id: HexID.encode(span.spanID), action: span.name, attempt: 1, status: failed ? "failed" : "succeeded",
            durationMs: end >= start && end != 0 ? Double(end - start) / 1e6 : nil,
            failure: failed ? .terminal : nil,
            failureMessage: failed && !span.status.message.isEmpty ? span.status.message : nil,
            causedBy: hasParent ? EntityRef(type: .execution, id: HexID.encode(span.parentSpanID)) : nil,
            otlp: RawJSON(String(decoding: remainder.bytes, as: UTF8.self)))
        return IncomingEvent(
            body: .executionAttempt(attempt), time: Timestamp(microseconds: Int64(start / 1000)),
            trace: TraceContext(id: traceID, tag: serviceName), mode: .openTelemetry)
    }

    private static func describe(_ bytes: Data) -> String {
        bytes.isEmpty ? "none" : "\(bytes.count) bytes, \(HexID.encode(bytes.prefix(32)))"
    }
}
