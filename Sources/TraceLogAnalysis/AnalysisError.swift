public import TraceLogStorage

/// Why a comparison or a history could not be computed.
public enum AnalysisError: Error, Sendable, CustomStringConvertible {
    /// A run-set selector that is not `tag:GLOB` or `trace:ID` (the text, and what is wrong).
    case invalidSelector(String, reason: String)
    /// An option out of its range (its name and what is wrong).
    case invalidOption(String, reason: String)
    /// A selector that matches no run (its description).
    case emptySelection(String)
    /// The log failed.
    case log(LogError)

    /// The message for the user: what is wrong, naming the selector or option.
    public var description: String {
        switch self {
        case .invalidSelector(let text, let reason): "invalid run selector \"\(text)\": \(reason)"
        case .invalidOption(let name, let reason): "\(name): \(reason)"
        case .emptySelection(let selector): "no runs match \(selector)"
        case .log(let error): "\(error)"
        }
    }

    /// Whether the caller asked for something impossible (usage, empty selection), as opposed to a log failure.
    public var isUsageError: Bool {
        if case .log = self { return false }
        return true
    }
}
