public import TraceLog

/// Reads one input format on the pipeline's parse thread: bytes in, parsed units out, in input order.
///
/// A unit is what is stored all together or not at all: a native line, a Selinon line, a Stroma or StackStorm
/// element. Parsing here is stateless, so it can run ahead of trace resolution on another core; whatever needs
/// state from earlier units is the ``IngestConverter``'s, which runs in order on the ingest thread.
public protocol IngestReader: ~Copyable, SendableMetatype {
    /// A parsed unit, handed to the converter.
    associatedtype Unit: Sendable

    /// Reads and parses about `limit` more units; nil at the end of the input.
    ///
    /// - Throws: ``IngestInputError`` when the input cannot be read at all (a directory, an I/O error): ingest
    ///   stops there. A unit that cannot be parsed is not an error of the call but an ``InputChunk/Entry/problem(_:)``.
    mutating func nextChunk(limit: Int) throws(IngestInputError) -> InputChunk<Unit>?
}

/// Turns parsed units into events, in input order, on the ingest thread, just before they are resolved; may keep
/// state across units, which it undoes for a unit that trace resolution rejects.
public protocol IngestConverter: ~Copyable, SendableMetatype {
    /// The parsed unit it converts.
    associatedtype Unit: Sendable
    /// What undoes the state changes of one unit.
    associatedtype Checkpoint

    /// Appends the unit's events to `events`; returns what undoes its state changes. A unit that cannot be
    /// converted throws its message (`line N: …`, `element N: …`) and changes no state.
    mutating func convert(_ unit: Unit, position: Int, into events: inout [IncomingEvent]) throws(InputProblem)
        -> Checkpoint

    /// ``convert(_:position:into:)`` that may move what the events need out of `unit` instead of copying it (each
    /// copy of an event costs a reference-count update per string it holds). The pipeline calls this one, and
    /// asks ``location(of:at:)`` about what is left of `unit` afterwards, so a converter that moves must name a
    /// unit without reading it. The default copies (calls ``convert(_:position:into:)``).
    mutating func convert(moving unit: inout Unit, position: Int, into events: inout [IncomingEvent])
        throws(InputProblem) -> Checkpoint

    /// Undoes the state changes of a unit whose events were rejected.
    mutating func restore(_ checkpoint: Checkpoint)

    /// For a converter whose every unit is one event that it passes on unchanged and that keeps no state (native
    /// lines): runs `body` on the units themselves, as events, and returns true. The pipeline then resolves each
    /// event where the parse thread left it, with no move into a buffer of events first (a move of an event
    /// copies its few hundred bytes). The default returns false without running `body`: the pipeline converts
    /// unit by unit.
    static func withUnitsAsEvents(
        _ units: inout [Unit], _ body: (inout [IncomingEvent]) throws(LogError) -> Void
    ) throws(LogError) -> Bool

    /// How messages name `unit`, at `position`: `line 7`, `element 3`, `line 2: resourceSpans[0]…spans[1]`.
    func location(of unit: Unit, at position: Int) -> String
}

extension IngestConverter where Self: ~Copyable {
    /// Copies: calls ``convert(_:position:into:)``.
    public mutating func convert(moving unit: inout Unit, position: Int, into events: inout [IncomingEvent])
        throws(InputProblem) -> Checkpoint
    {
        try convert(unit, position: position, into: &events)
    }

    /// Returns false: units are converted one by one.
    public static func withUnitsAsEvents(
        _ units: inout [Unit], _ body: (inout [IncomingEvent]) throws(LogError) -> Void
    ) throws(LogError) -> Bool {
        false
    }
}

/// A unit that could not be parsed or converted: where it is, and the whole message (`line 7: field "id": …`).
public struct InputProblem: Error, Hashable, Sendable {
    /// The unit's position (line number, or element index).
    public var position: Int
    /// The message, location included.
    public var message: String
    /// How many events it counts as among the rejected (1 for a unit that never became events).
    public var events: Int

    /// Creates a problem.
    public init(position: Int, message: String, events: Int = 1) {
        self.position = position
        self.message = message
        self.events = events
    }
}

/// Why an input cannot be read at all: ingest stops with this message (e.g. `read DIR: Is a directory`).
public struct IngestInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}

/// Parsed units of a stretch of input, in input order, with the problems among them.
///
/// The units are kept apart from the entries that order them, so that the ingest thread takes them all out in one
/// move (``takeUnits()``) and reads or moves each one where it is: binding a generic unit out of an enum case
/// copied it, a reference-count update per string it holds (3% of `tracelog ingest`'s CPU), and moving each unit
/// out of an array of optionals copied its bytes twice.
public struct InputChunk<Unit: Sendable>: Sendable {
    /// What stands at one place of the chunk.
    public enum Entry: Sendable {
        /// The next parsed unit, and its position (line number or element index).
        case unit(position: Int)
        /// A unit that could not be parsed.
        case problem(InputProblem)
    }

    /// The entries, in input order.
    public private(set) var entries: [Entry] = []
    /// The parsed units, in input order, one per ``Entry/unit(position:)``.
    private var units: [Unit] = []
    /// Input bytes consumed so far, this chunk included (for progress).
    public var bytesRead: Int = 0

    /// An empty chunk.
    public init() {}

    /// Entries held.
    public var count: Int { entries.count }

    /// Whether it holds no entry.
    public var isEmpty: Bool { entries.isEmpty }

    /// Reserves room for `capacity` entries.
    public mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
        units.reserveCapacity(capacity)
    }

    /// Appends a parsed unit found at `position`.
    public mutating func append(_ unit: consuming Unit, position: Int) {
        entries.append(.unit(position: position))
        units.append(unit)
    }

    /// Appends a unit that could not be parsed.
    public mutating func append(problem: InputProblem) {
        entries.append(.problem(problem))
    }

    /// Moves the parsed units out of the chunk, in input order, one per ``Entry/unit(position:)`` (the chunk keeps
    /// its entries and no unit). Cost: O(1), no unit is copied.
    public mutating func takeUnits() -> [Unit] {
        var taken: [Unit] = []
        swap(&taken, &units)
        return taken
    }
}
