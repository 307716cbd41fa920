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

    /// The OTLP request holding the spans of `records` (in sequence order).
    package func request(for records: [StoredRecord]) -> OTLPExportTraceServiceRequest {
        var builder = RequestBuilder()
        var spans = RecordSpans(records: records, mode: mode, tag: tag, executionCause: executionCause)
        spans.emit { emitted in
            switch emitted {
            case .draft(let draft): builder.add(draft.message, resource: RecordSpans.resource, scope: RecordSpans.scope)
            case .otlp(let span, let resource, let scope): builder.add(span, resource: resource, scope: scope)
            }
        }
        return builder.request
    }

    /// The OTLP/JSON `ExportTraceServiceRequest` of `records`, on one line.
    public func json(for records: [StoredRecord]) -> String {
        String(decoding: OTLPJSONEncoder().encode(request(for: records)), as: UTF8.self)
    }

    /// The protobuf `ExportTraceServiceRequest` of `records` and its number of spans (what `forward` sends).
    ///
    /// The same bytes SwiftProtobuf writes for ``request(for:)``, written straight from the records for TraceLog's own
    /// spans (about 5 times faster than building the messages first); spans that came from OTLP go through their
    /// messages.
    public func protobuf(for records: [StoredRecord]) throws -> (body: [UInt8], spans: Int) {
        var builder = WireRequestBuilder()
        var spans = RecordSpans(records: records, mode: mode, tag: tag, executionCause: executionCause)
        var failure: (any Error)?
        spans.emit { emitted in
            guard failure == nil else { return }
            do {
                switch emitted {
                case .draft(let draft): builder.add(draft)
                case .otlp(let span, let resource, let scope): try builder.add(span, resource: resource, scope: scope)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return (try builder.finish(), builder.spanCount)
    }
}

/// Finds the group (resource, then scope) of each span, keeping first-seen order.
struct SpanGroups {
    private var resourceIndex: [[UInt8]: Int] = [:]
    private var scopeIndex: [[UInt8]: Int] = [:]
    private var scopeCounts: [Int] = []
    /// The shells and position of the last span placed: consecutive spans mostly share them, and comparing two small
    /// messages is much cheaper than encoding their keys.
    private var last: (resource: OTLPResourceSpans, scope: OTLPScopeSpans, position: (Int, Int))?

    /// The position of the group of `resource` and `scope` (span-less shells), and whether the resource, or only the
    /// scope, is new.
    mutating func place(resource: OTLPResourceSpans, scope: OTLPScopeSpans) -> (
        resource: Int, scope: Int, newResource: Bool, newScope: Bool
    ) {
        if let last, last.resource == resource, last.scope == scope {
            return (last.position.0, last.position.1, false, false)
        }
        let resourceKey = OTLPJSONEncoder().encode(resource).bytes
        var newResource = false
        let resourcePosition: Int
        if let known = resourceIndex[resourceKey] {
            resourcePosition = known
        } else {
            resourcePosition = scopeCounts.count
            resourceIndex[resourceKey] = resourcePosition
            scopeCounts.append(0)
            newResource = true
        }
        var keyShell = resource
        keyShell.scopeSpans = [scope]
        let scopeKey = OTLPJSONEncoder().encode(keyShell).bytes
        var newScope = false
        let scopePosition: Int
        if let known = scopeIndex[scopeKey] {
            scopePosition = known
        } else {
            scopePosition = scopeCounts[resourcePosition]
            scopeIndex[scopeKey] = scopePosition
            scopeCounts[resourcePosition] += 1
            newScope = true
        }
        last = (resource, scope, (resourcePosition, scopePosition))
        return (resourcePosition, scopePosition, newResource, newScope)
    }
}

/// Builds the request as messages (for OTLP/JSON).
struct RequestBuilder {
    private(set) var request = OTLPExportTraceServiceRequest()
    private var groups = SpanGroups()

    /// Adds `span` under `resource` and `scope` (the span-less shells of a `ResourceSpans` and a `ScopeSpans`).
    mutating func add(_ span: OTLPSpan, resource: OTLPResourceSpans, scope: OTLPScopeSpans) {
        let place = groups.place(resource: resource, scope: scope)
        if place.newResource { request.resourceSpans.append(resource) }
        if place.newScope { request.resourceSpans[place.resource].scopeSpans.append(scope) }
        request.resourceSpans[place.resource].scopeSpans[place.scope].spans.append(span)
    }
}

/// Builds the request as protobuf bytes: each group's spans are written as they come, and the groups wrapped at the
/// end, in the field order SwiftProtobuf uses (so the bytes equal its serialization of the same request).
struct WireRequestBuilder {
    private struct Scope {
        var shell: OTLPScopeSpans
        var spans = WireWriter(capacity: 1 << 16)
    }

    private struct Resource {
        var shell: OTLPResourceSpans
        var scopes: [Scope] = []
    }

    private var resources: [Resource] = []
    private var groups = SpanGroups()
    private(set) var spanCount = 0

    /// Adds a span of TraceLog's own (resource `tracelog`).
    mutating func add(_ span: SpanDraft) {
        let index = position(resource: RecordSpans.resource, scope: RecordSpans.scope)
        resources[index.0].scopes[index.1].spans.message(2, size: WireWriter.size(of: span)) { $0.write(span) }
        spanCount += 1
    }

    /// Adds a span that came from OTLP.
    mutating func add(_ span: OTLPSpan, resource: OTLPResourceSpans, scope: OTLPScopeSpans) throws {
        let index = position(resource: resource, scope: scope)
        resources[index.0].scopes[index.1].spans.lengthDelimited(2, try span.serializedBytes() as [UInt8])
        spanCount += 1
    }

    private mutating func position(resource: OTLPResourceSpans, scope: OTLPScopeSpans) -> (Int, Int) {
        let place = groups.place(resource: resource, scope: scope)
        if place.newResource { resources.append(Resource(shell: resource)) }
        if place.newScope { resources[place.resource].scopes.append(Scope(shell: scope)) }
        return (place.resource, place.scope)
    }

    /// The `ExportTraceServiceRequest` bytes.
    func finish() throws -> [UInt8] {
        var request = WireWriter(
            capacity: resources.reduce(64) { $0 + $1.scopes.reduce(0) { $0 + $1.spans.bytes.count + 64 } })
        for resource in resources {
            var body = WireWriter()
            if resource.shell.hasResource {
                body.lengthDelimited(1, try resource.shell.resource.serializedBytes() as [UInt8])
            }
            for scope in resource.scopes {
                var scopeBody = WireWriter()
                if scope.shell.hasScope {
                    scopeBody.lengthDelimited(1, try scope.shell.scope.serializedBytes() as [UInt8])
                }
                var content = scopeBody.bytes
                content += scope.spans.bytes
                var tail = WireWriter()
                tail.string(3, scope.shell.schemaURL)
                content += tail.bytes
                body.lengthDelimited(2, content)
            }
            body.string(3, resource.shell.schemaURL)
            request.lengthDelimited(1, body.bytes)
        }
        return request.bytes
    }
}
