public import TraceLog
public import TraceLogStorage

/// Feeds converted foreign events (Stroma, Selinon, StackStorm) to a store in chunks, reporting each rejected
/// event by its line or element — what `tracelog ingest --format stroma|selinon|st2` runs.
///
/// Without `stopOnError`, valid lines or elements are stored and every rejection is reported; with it, ingest
/// stops at the first bad line or element, keeping what came before it. A line or element is all-or-nothing, and
/// its events are never split across two chunks.
///
/// Counts are in events (records before trace starts): ``ingested`` events were written, ``rejected`` events
/// were not (every event of a rejected line or element; a line or element that could not be converted at all
/// counts as one).
public struct ImportIngestor {
    /// The store written to.
    public let store: TraceStore
    /// Whether to stop at the first rejection.
    public let stopOnError: Bool
    /// Events per `ingest` call (a chunk may exceed it by the events of one line or element).
    public var chunkSize = 4096
    /// Events stored so far.
    public private(set) var ingested = 0
    /// Events not written so far (a line or element that could not be converted counts as one).
    public private(set) var rejected = 0
    /// Events that repeated a trigger instance already recorded with the same content (not written again).
    public private(set) var duplicates = 0
    /// Whether ingest stopped (only with `stopOnError`); later calls do nothing.
    public private(set) var stopped = false
    private let report: (String) -> Void
    private var pending: [ImportedEvent] = []

    /// Creates an ingestor; `report` receives one message per rejection (`line N: …`, `element N: …`).
    public init(store: TraceStore, stopOnError: Bool, report: @escaping (String) -> Void) {
        self.store = store
        self.stopOnError = stopOnError
        self.report = report
    }

    /// Queues the events of one line or element, ingesting a chunk when enough are queued.
    public mutating func add(_ events: [ImportedEvent]) async throws(LogError) {
        guard !stopped else { return }
        pending += events
        if pending.count >= chunkSize { try await flush() }
    }

    /// Reports a line or element that could not be converted; with `stopOnError`, ingests what came before it and
    /// stops.
    public mutating func reject(_ error: ImportError) async throws(LogError) {
        guard !stopped else { return }
        if stopOnError { try await flush() }
        guard !stopped else { return }
        report(error.description)
        rejected += 1
        stopped = stopOnError
    }

    /// Ingests whatever is still queued.
    public mutating func finish() async throws(LogError) {
        guard !stopped else { return }
        try await flush()
    }

    /// Ingests the queued events. A line or element is all-or-nothing: when trace resolution rejects one of its
    /// events, none of its events are written (so a StackStorm trace never leaves an empty trace behind, and a
    /// Selinon execution record never lands without its flow event). Each call is atomic, so a chunk with
    /// rejections is retried without the rejected lines or elements (their dependents are rejected in turn).
    private mutating func flush() async throws(LogError) {
        guard !pending.isEmpty else { return }
        var chunk = pending
        pending.removeAll(keepingCapacity: true)
        while !chunk.isEmpty {
            let result = try await store.ingest(chunk.map(\.event), atomic: true)
            guard let first = result.rejected.first else {
                ingested += result.accepted
                duplicates += result.duplicates
                return
            }
            if stopOnError {
                // Keep the lines or elements before the first rejected one, then stop.
                let cut = chunk.firstIndex { $0.location == chunk[first.index].location } ?? first.index
                report(message(for: chunk[first.index], first.error))
                rejected += chunk[cut...].count { $0.location == chunk[first.index].location }
                stopped = true
                if cut > 0 { ingested += try await store.ingest(chunk[..<cut].map(\.event), atomic: true).accepted }
                return
            }
            for rejection in result.rejected { report(message(for: chunk[rejection.index], rejection.error)) }
            let failed = Set(result.rejected.map { chunk[$0.index].location })
            rejected += chunk.count { failed.contains($0.location) }
            chunk.removeAll { failed.contains($0.location) }
        }
    }

    private func message(for event: ImportedEvent, _ error: ResolutionError) -> String {
        "\(event.location): \(error)"
    }
}
