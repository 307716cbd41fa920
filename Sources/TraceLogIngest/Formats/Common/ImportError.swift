/// Where in a foreign input an imported event (or an error) comes from.
public enum ImportLocation: Hashable, Sendable, CustomStringConvertible {
    /// A 1-based line of a line-based input (Selinon).
    case line(Int)
    /// A 0-based element of a JSON array input (Stroma's `to_json`, a StackStorm trace list), as in `jq '.[N]'`;
    /// a single-object input is element 0.
    case element(Int)
    /// The input as a whole (e.g. it is not valid JSON at all).
    case input
    /// One item of a line that holds several independent ones (an OTLP span: `resourceSpans[0].scopeSpans[0].spans[2]`).
    case lineItem(line: Int, item: String)

    /// `line 3`, `element 0` or `input`.
    public var description: String {
        switch self {
        case .line(let number): "line \(number)"
        case .element(let index): "element \(index)"
        case .input: "input"
        case .lineItem(let number, let item): "line \(number): \(item)"
        }
    }
}

/// Why a foreign input (Stroma, Selinon, StackStorm) could not be imported: the format, where, the field to blame
/// (dotted and indexed for nested fields: `details.task_id`, `action_executions[2].caused_by.type`) and why.
///
/// Reads like the native format's errors: `element 3: field "attempt": expected an integer in 1...4294967295, got
/// "two"` or `line 7: unknown Selinon event "TASK_EXPLODED"`.
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input format.
    public var format: IngestFormat
    /// Where the problem is.
    public var location: ImportLocation
    /// The field to blame, or nil when the whole line or element is at fault.
    public var field: String?
    /// What is wrong, without the location and field.
    public var reason: String

    /// Creates an error.
    public init(format: IngestFormat, location: ImportLocation, field: String? = nil, reason: String) {
        self.format = format
        self.location = location
        self.field = field
        self.reason = reason
    }

    /// `<location>: field "F": reason`, or without the field part.
    public var description: String {
        guard let field else { return "\(location): \(reason)" }
        return "\(location): field \"\(field)\": \(reason)"
    }
}
