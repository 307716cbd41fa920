public import TraceLogStorage

/// Which traces form a run set: `tag:GLOB` (traces whose tag matches a shell-style glob) or `trace:ID` (one
/// trace), narrowed to traces that started in [since, until] when those are given.
public struct RunSelector: Hashable, Sendable, CustomStringConvertible {
    /// What selects the traces.
    public enum Kind: Hashable, Sendable {
        /// Traces whose tag matches the glob.
        case tag(TagGlob)
        /// One trace.
        case trace(TraceID)
    }

    /// What selects the traces.
    public var kind: Kind
    /// Only traces that started at or after this time.
    public var since: Timestamp?
    /// Only traces that started at or before this time.
    public var until: Timestamp?

    /// Creates a selector.
    public init(_ kind: Kind, since: Timestamp? = nil, until: Timestamp? = nil) {
        self.kind = kind
        self.since = since
        self.until = until
    }

    /// Parses `tag:GLOB` or `trace:ID` (ID: 32 lowercase hex characters).
    public init(parsing text: String, since: Timestamp? = nil, until: Timestamp? = nil) throws(AnalysisError) {
        if text.hasPrefix("tag:") {
            let glob = String(text.dropFirst(4))
            guard !glob.isEmpty else { throw .invalidSelector(text, reason: "the tag glob is empty") }
            self.init(.tag(try TagGlob(glob)), since: since, until: until)
        } else if text.hasPrefix("trace:") {
            let hex = text.dropFirst(6)
            guard let id = TraceID(hex: hex) else {
                throw .invalidSelector(text, reason: "expected a trace id of 32 lowercase hex characters")
            }
            self.init(.trace(id), since: since, until: until)
        } else {
            throw .invalidSelector(text, reason: "expected tag:GLOB or trace:ID")
        }
    }

    /// `tag:GLOB` or `trace:ID`, as parsed (the time window is not part of it).
    public var description: String {
        switch kind {
        case .tag(let glob): "tag:\(glob.pattern)"
        case .trace(let id): "trace:\(id)"
        }
    }

    /// Whether a trace that started at `microseconds` is inside the time window.
    func contains(time microseconds: Int64) -> Bool {
        if let since, microseconds < since.microseconds { return false }
        if let until, microseconds > until.microseconds { return false }
        return true
    }
}
