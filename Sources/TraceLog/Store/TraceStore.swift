public import TraceLogStorage

/// A trace log opened for queries: traces rebuilt from the log's records, entity lookups, refresh.
///
/// This type cannot ingest — that takes a ``WritableTraceStore``, which is also a `TraceStore` — so code handed a
/// `TraceStore` is read-only by construction. Open one with ``openReadOnly(directory:)`` while another process
/// writes: it takes no lock. Thread-safe.
///
/// `@unchecked Sendable` because it is a non-final class (``WritableTraceStore`` extends it); it holds only
/// immutable references to `Sendable` values.
public class TraceStore: @unchecked Sendable {
    /// The log directory.
    public let directory: String
    /// The reader behind every query.
    public let reader: LogReader

    init(directory: String, reader: LogReader) {
        self.directory = directory
        self.reader = reader
    }

    /// Opens an existing log for queries only; takes no lock, so a writer may be running elsewhere.
    public static func openReadOnly(directory: String) throws(LogError) -> TraceStore {
        TraceStore(directory: directory, reader: try LogReader(directory: directory))
    }

    /// The trace with this id, rebuilt from its records; nil when there is none. Throws ``LogError/damaged(_:)``
    /// when known damage may hide some of its records (see ``trace(_:damage:)``).
    public func trace(_ id: TraceID) throws(LogError) -> TraceProjection? {
        try trace(id, damage: .fail).value
    }

    /// The trace an entity belongs to, if any.
    public func traceID(of entity: EntityRef) throws(LogError) -> TraceID? {
        try reader.traceID(ofEntity: entity)
    }

    /// Picks up records another process appended since the last call (a writing store's own appends are
    /// visible at once).
    public func refresh() throws(LogError) {
        try reader.refresh()
    }
}
