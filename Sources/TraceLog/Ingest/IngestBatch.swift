public import TraceLogStorage

/// How an ingest call treats units that trace resolution rejects.
public enum IngestMode: Hashable, Sendable {
    /// Valid units are stored; rejected ones are reported and write nothing (`tracelog ingest`).
    case independent
    /// Units before the first rejected one are stored; ingest stops there (`tracelog ingest --stop-on-error`).
    case stopAtFirstRejection
    /// All or nothing: one rejected unit rejects the whole call, and nothing is written (`POST /v1/events`).
    case atomic
}

/// Events to ingest, grouped into all-or-nothing units (a native line is a unit of one event; a Selinon line or
/// a Stroma element may be several), with the mode that says what a rejected unit does to the others.
public struct IngestBatch: Sendable {
    /// Every event, unit after unit.
    public private(set) var events: [IncomingEvent] = []
    /// `unitEnds[u]` is one past the index of unit `u`'s last event.
    public private(set) var unitEnds: [Int] = []
    /// What a rejected unit does to the others.
    public var mode: IngestMode

    /// An empty batch.
    public init(mode: IngestMode) {
        self.mode = mode
    }

    /// A batch in which every event is its own unit.
    public init(events: [IncomingEvent], mode: IngestMode) {
        self.events = events
        unitEnds = Array(1...max(events.count, 1))
        if events.isEmpty { unitEnds = [] }
        self.mode = mode
    }

    /// Adds a unit of one event.
    public mutating func append(_ event: IncomingEvent) {
        events.append(event)
        unitEnds.append(events.count)
    }

    /// Adds a unit of several events (stored all together or not at all).
    public mutating func append(unit: some Sequence<IncomingEvent>) {
        events.append(contentsOf: unit)
        unitEnds.append(events.count)
    }

    /// Removes every unit, keeping capacity.
    public mutating func removeAll() {
        events.removeAll(keepingCapacity: true)
        unitEnds.removeAll(keepingCapacity: true)
    }

    /// The number of units.
    public var unitCount: Int { unitEnds.count }

    /// The indexes in ``events`` of unit `unit`'s events.
    public func eventRange(ofUnit unit: Int) -> Range<Int> {
        (unit == 0 ? 0 : unitEnds[unit - 1])..<unitEnds[unit]
    }
}

/// What became of one event of an ingest call.
public enum EventOutcome: Hashable, Sendable {
    /// Stored in trace `trace` as record `seq` (for a trace-start event: the trace it created, at `seq`).
    case stored(trace: TraceID, seq: UInt64)
    /// A trigger instance resent with the same content as its first record, in trace `trace`: a no-op.
    case duplicate(trace: TraceID)
    /// Rejected by trace resolution, for this reason; it wrote nothing.
    case rejected(ResolutionError)
    /// Valid, but not stored: another event of its unit or of its atomic call was rejected, or ingest stopped
    /// before its unit.
    case notStored

    /// The sequence number it was stored at, if it was.
    public var seq: UInt64? {
        if case .stored(_, let seq) = self { return seq }
        return nil
    }

    /// The trace it was stored in (for a duplicate: the trace of the first record), if any.
    public var traceID: TraceID? {
        switch self {
        case .stored(let trace, _), .duplicate(let trace): trace
        case .rejected, .notStored: nil
        }
    }
}

/// A unit that trace resolution rejected: which one, its first rejected event, and why.
public struct UnitRejection: Hashable, Sendable {
    /// The unit's index in its batch.
    public var unit: Int
    /// The index (in the batch's ``IngestBatch/events``) of the unit's first rejected event.
    public var event: Int
    /// Why it was rejected.
    public var error: ResolutionError
}

/// What an ingest call did: per event, stored (with trace id and sequence number) or not, and why.
public struct IngestResult: Sendable {
    /// One outcome per event of the batch, in order.
    public var outcomes: [EventOutcome]
    /// The rejected units, in order (in `stopAtFirstRejection` mode at most one: where ingest stopped).
    public var rejectedUnits: [UnitRejection]
    /// Events stored.
    public var accepted: Int
    /// Events that repeated a trigger instance already recorded with the same content: not written again,
    /// counted neither as accepted nor as rejected.
    public var duplicates: Int
    /// The sequence numbers of the records written (trace starts included).
    public var seqs: Range<UInt64>

    /// Rejected events with their reasons, by index in the batch.
    public var rejected: [(index: Int, error: ResolutionError)] {
        rejectedUnits.map { ($0.event, $0.error) }
    }
}
