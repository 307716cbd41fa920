/// Why one line of native events was rejected: the line, the field (if one is to blame) and the reason.
///
/// Reads like `line 7: field "attempt": expected an integer ≥ 1, got "two"` or
/// `line 3: invalid JSON at byte 41: unterminated string` (byte numbers are 1-based, like columns).
/// Nested fields are dotted: `caused_by.type`, `trace.id`.
public struct NativeEventError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The field to blame (a key, dotted for nested keys), or nil for errors about the whole line.
    public var field: String?
    /// What is wrong, without the line and field.
    public var reason: String

    /// Creates an error.
    public init(line: Int, field: String? = nil, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// `line N: field "F": reason`, or `line N: reason` without a field.
    public var description: String {
        guard let field else { return "line \(line): \(reason)" }
        return "line \(line): field \"\(field)\": \(reason)"
    }
}
