import Foundation
package import TraceLogStorage

/// The part of a span the execution attempt's own fields do not hold, stored as OTLP/JSON in
/// ``TraceLogStorage/ExecutionAttempt/otlp``: a `ResourceSpans` object with one scope and one span, the span
/// without its trace id, span id, name and (when it is a real span id) parent span id — those are the record's
/// trace id, ``TraceLogStorage/ExecutionAttempt/id``, ``TraceLogStorage/ExecutionAttempt/action`` and
/// ``TraceLogStorage/ExecutionAttempt/causedBy``.
///
/// Being OTLP/JSON itself, the remainder is readable in `tracelog replay` and decodes with ``OTLPJSONDecoder``.
package enum Remainder {
    /// The remainder of `span` and its depth; `keepsParent` keeps a parent span id that is not a span id (an all-zero
    /// one), which `causedBy` cannot hold.
    static func encode(span: OTLPSpan, scope: OTLPScopeSpans, resource: OTLPResourceSpans, keepsParent: Bool)
        -> (bytes: [UInt8], depth: Int)
    {
        Template(scope: scope, resource: resource).encode(span: span, keepsParent: keepsParent)
    }

    /// The part of the remainders of one resource's and scope's spans that they share, encoded once: what comes
    /// before the span object and what comes after it.
    struct Template {
        private let prefix: [UInt8]
        private let suffix: [UInt8]
        private let depth: Int

        init(scope: OTLPScopeSpans, resource: OTLPResourceSpans) {
            var scopeSpans = OTLPScopeSpans()
            if scope.hasScope { scopeSpans.scope = scope.scope }
            scopeSpans.schemaURL = scope.schemaURL
            scopeSpans.spans = [OTLPSpan()]  // written `{}`: the place of the span
            var resourceSpans = OTLPResourceSpans()
            if resource.hasResource { resourceSpans.resource = resource.resource }
            resourceSpans.schemaURL = resource.schemaURL
            resourceSpans.scopeSpans = [scopeSpans]
            let (bytes, depth) = OTLPJSONEncoder().encode(resourceSpans)
            // `"spans":[{}]` can only be the key of the scope's spans: inside a JSON string every quote is escaped.
            let marker = Array(#""spans":[{}]"#.utf8)
            var cut = bytes.count - marker.count
            while cut >= 0, !bytes[cut..<cut + marker.count].elementsEqual(marker) { cut -= 1 }
            precondition(cut >= 0, "the remainder template has no span")
            prefix = Array(bytes[..<(cut + marker.count - 3)])
            suffix = Array(bytes[(cut + marker.count - 1)...])
            self.depth = depth
        }

        /// The remainder of `span` (see ``Remainder/encode(span:scope:resource:keepsParent:)``).
        func encode(span: OTLPSpan, keepsParent: Bool) -> (bytes: [UInt8], depth: Int) {
            var rest = span
            rest.traceID = Data()
            rest.spanID = Data()
            rest.name = ""
            if !keepsParent { rest.parentSpanID = Data() }
            let (object, objectDepth) = OTLPJSONEncoder().encode(rest)
            // The span object sits 4 levels down: the remainder, scopeSpans, the scope, spans.
            return (prefix + object + suffix, max(depth, 4 + objectDepth))
        }
    }

    /// The span an OTLP-born attempt was made from, with its resource and scope (one scope, one span), or the reason
    /// the remainder does not decode.
    package static func decode(_ attempt: ExecutionAttempt, traceID: TraceID) -> Result<
        OTLPResourceSpans, OTLPDecodingError
    > {
        guard let text = attempt.otlp?.text else { return .failure(OTLPDecodingError(reason: "no otlp remainder")) }
        var resourceSpans: OTLPResourceSpans
        do {
            resourceSpans = try OTLPJSONDecoder().resourceSpans(from: Array(text.utf8))
        } catch {
            return .failure(error)
        }
        guard resourceSpans.scopeSpans.count == 1, resourceSpans.scopeSpans[0].spans.count == 1 else {
            return .failure(OTLPDecodingError(reason: "the remainder must hold exactly one scope with one span"))
        }
        var span = resourceSpans.scopeSpans[0].spans[0]
        span.traceID = HexID.bytes(of: traceID)
        span.spanID = SpanIdentity.spanID(ofExecution: attempt.id, attempt: 1)
        span.name = attempt.action
        if span.parentSpanID.isEmpty, let cause = attempt.causedBy {
            span.parentSpanID = SpanIdentity.spanID(of: cause)
        }
        resourceSpans.scopeSpans[0].spans[0] = span
        return .success(resourceSpans)
    }
}
