/// Why an OTLP body (protobuf or JSON) or an OTLP/JSON line could not be decoded: the field to blame, as a path
/// into the request (`resourceSpans[0].scopeSpans[1].spans[3].traceId`), and why.
///
/// A body that does not decode is refused whole (400): nothing of it is written.
public struct OTLPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field to blame, or nil when the body as a whole is at fault (not JSON, not protobuf).
    public var field: String?
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(field: String? = nil, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field "resourceSpans[0].scopeSpans[0].spans[2].traceId": expected …`, or the reason alone.
    public var description: String {
        guard let field, !field.isEmpty else { return reason }
        return "field \"\(field)\": \(reason)"
    }
}
