import Foundation
public import TraceLogStorage

/// Turns records into OTLP: a whole trace for `tracelog export --format otlp`, or a batch of the log for
/// `tracelog forward`.
///
/// - An execution attempt that came from OTLP (``TraceLogStorage/ExecutionAttempt/otlp``) becomes its span again,
///   field for field, under its own resource and scope.
/// - Every other trigger instance, rule enforcement and execution attempt becomes a span under the resource
///   `service.name = tracelog` (see ``RecordSpans`` for the spans, their ids and their `tracelog.*` attributes);
///   a span's parent is the span of its cause; a failure is status ERROR with its message.
/// - Status changes of an attempt (`requested`, `scheduled`, `running` records) become events of the attempt's
///   span, and Selinon flow events become events of their execution's span. One that has no span in the records
///   given (a forward batch that ends between them) becomes a span of its own, an instant one, so nothing is
///   dropped — except in ``Mode/forward``, where an attempt that has not finished yet is left for a later batch's
///   final record (see ``Mode``).
///
/// - Complexity: linear in the records, plus one decode of each OTLP remainder.
public struct OTLPExporter: Sendable {
    /// What the records are.
    public enum Mode: Sendable {
        /// A whole trace: an attempt still in progress (no final record yet) becomes a span that ends at its last
        /// record, with status UNSET.
        case trace
        /// A forward batch: an attempt's span is sent with its final record; status changes without their final
        /// record in the same batch are not sent (they stay in the local log), so that a span is never sent twice
        /// with different contents.
        case forward
    }

    /// What the records are.
    public var mode: Mode
    /// The tag of a trace, for the `tracelog.trace.tag` attribute of spans that did not come from OTLP.
    public var tag: @Sendable (TraceID) -> String?
    /// The cause of an execution whose records in the run given carry none (a later attempt in a forward batch
    /// without the first): where its span's parent comes from.
    public var executionCause: @Sendable (_ executionID: String) -> EntityRef?

    /// Creates an exporter.
    public init(
        mode: Mode, tag: @escaping @Sendable (TraceID) -> String? = { _ in nil },
        executionCause: @escaping @Sendable (_ executionID: String) -> EntityRef? = { _ in nil }
    ) {
        self.mode = mode
        self.tag = tag
        self.executionCause = executionCause
    }

    /// The OTLP request holding the spans of `records` (in sequence order), and how many spans it holds.
    package func request(for records: [StoredRecord]) -> OTLPExportTraceServiceRequest {
        var builder = RequestBuilder()
        var spans = RecordSpans(records: records, mode: mode, tag: tag, executionCause: executionCause)
        spans.emit(into: &builder)
        return builder.request
    }

    /// The OTLP/JSON `ExportTraceServiceRequest` of `records`, on one line.
    public func json(for records: [StoredRecord]) -> String {
        String(decoding: OTLPJSONEncoder().encode(request(for: records)), as: UTF8.self)
    }

    /// The protobuf `ExportTraceServiceRequest` of `records` and its number of spans (what `forward` sends).
    public func protobuf(for records: [StoredRecord]) throws -> (body: [UInt8], spans: Int) {
        let request = request(for: records)
        let spans = request.resourceSpans.reduce(0) { total, resource in
            total + resource.scopeSpans.reduce(0) { $0 + $1.spans.count }
        }
        return (try request.serializedBytes(), spans)
    }
}

/// Groups spans by resource, then scope, keeping first-seen order.
struct RequestBuilder {
    private(set) var request = OTLPExportTraceServiceRequest()
    private var resourceIndex: [[UInt8]: Int] = [:]
    private var scopeIndex: [[UInt8]: Int] = [:]
    /// The shells and position of the last span added: consecutive spans mostly share them, and comparing two small
    /// messages is much cheaper than encoding their keys.
    private var last: (resource: OTLPResourceSpans, scope: OTLPScopeSpans, position: (Int, Int))?

    /// Adds `span` under `resource` and `scope` (the span-less shells of a `ResourceSpans` and a `ScopeSpans`).
    mutating func add(_ span: OTLPSpan, resource: OTLPResourceSpans, scope: OTLPScopeSpans) {
        if let last, last.resource == resource, last.scope == scope {
            request.resourceSpans[last.position.0].scopeSpans[last.position.1].spans.append(span)
            return
        }
        var resourceShell = resource
        resourceShell.scopeSpans = []
        let resourceKey = OTLPJSONEncoder().encode(resourceShell).bytes
        let resourcePosition: Int
        if let known = resourceIndex[resourceKey] {
            resourcePosition = known
        } else {
            resourcePosition = request.resourceSpans.count
            resourceIndex[resourceKey] = resourcePosition
            request.resourceSpans.append(resourceShell)
        }
        var scopeShell = scope
        scopeShell.spans = []
        var scopeKeyShell = resourceShell
        scopeKeyShell.scopeSpans = [scopeShell]
        let scopeKey = OTLPJSONEncoder().encode(scopeKeyShell).bytes
        let scopePosition: Int
        if let known = scopeIndex[scopeKey] {
            scopePosition = known
        } else {
            scopePosition = request.resourceSpans[resourcePosition].scopeSpans.count
            scopeIndex[scopeKey] = scopePosition
            request.resourceSpans[resourcePosition].scopeSpans.append(scopeShell)
        }
        request.resourceSpans[resourcePosition].scopeSpans[scopePosition].spans.append(span)
        last = (resource, scope, (resourcePosition, scopePosition))
    }
}
