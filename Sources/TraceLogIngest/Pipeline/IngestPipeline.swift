import Dispatch
public import TraceLog
import TraceLogStorage

/// The one ingest path of every input: a parse thread reads and parses the input in chunks while the store's
/// ingest thread converts, resolves and appends the chunk before — two cores busy, in input order.
///
/// - **Order**: units are resolved and stored in input order, so sequence order equals input order.
/// - **Rejections**: a unit that cannot be parsed, converted or resolved writes nothing and is reported through
///   `report` (`line 7: …`, `element 3: …`) in input order. Without `stopOnError` the other units are stored;
///   with it, ingest stops at the first bad unit, keeping those before it.
/// - **Memory**: bounded by the channel between the threads (a few chunks of parsed units) and the store's
///   bounded resolution cache, whatever the input's size.
/// - **Durability**: a chunk counts as ingested once acknowledged per the store's durability mode (in `sync` mode,
///   after its `fdatasync`), so ``IngestSummary`` and the progress callback only count acknowledged events.
public struct IngestPipeline: Sendable {
    /// The store written to.
    public let store: WritableTraceStore
    /// Whether to stop at the first bad unit.
    public var stopOnError: Bool
    /// Units per chunk (a chunk is one ingest call: one resolution pass and one append).
    public var chunkUnits = 4096
    /// Parsed chunks that may wait between the threads.
    public var channelCapacity = 4
    /// Receives one message per rejected unit, in input order (called on the ingest thread).
    public var report: @Sendable (String) -> Void
    /// Receives the running totals after each chunk (called on the caller's task).
    public var progress: (@Sendable (IngestSummary) -> Void)?

    /// Creates a pipeline into `store`.
    public init(store: WritableTraceStore, stopOnError: Bool, report: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.stopOnError = stopOnError
        self.report = report
    }

    /// Runs the input through the pipeline; returns what was stored and rejected.
    ///
    /// - Parameters:
    ///   - makeReader: creates the input's reader; called once, on the parse thread, which owns the reader.
    ///   - converter: turns the reader's units into events on the ingest thread.
    /// - Throws: ``IngestPipelineError`` when the input cannot be read or the log fails; it carries what had been
    ///   stored until then, so the caller can say where to resume.
    public func run<Reader: IngestReader & ~Copyable, Converter: IngestConverter & ~Copyable>(
        reader makeReader: @escaping @Sendable () -> Reader, converter: consuming sending Converter
    ) async throws(IngestPipelineError) -> IngestSummary where Reader.Unit == Converter.Unit {
        let channel = ChunkChannel<Result<InputChunk<Reader.Unit>, IngestInputError>>(capacity: channelCapacity)
        let limit = chunkUnits
        DispatchQueue(label: "tracelog.ingest-parse", qos: .userInitiated).async {
            var reader = makeReader()
            while true {
                do throws(IngestInputError) {
                    guard let chunk = try reader.nextChunk(limit: limit) else { break }
                    if !channel.send(.success(chunk)) { return }
                } catch {
                    _ = channel.send(.failure(error))
                    break
                }
            }
            channel.finish()
        }
        let state = ConverterState(converter)
        var summary = IngestSummary()
        defer { channel.cancel() }
        // Three chunks in flight: one is resolved on the ingest thread while the two before wait for or run on the
        // write thread (see `IngestSession.flushInBackground`), so neither thread waits for the other.
        var inFlight: [(ticket: IngestTicket<ChunkOutcome>, bytesRead: Int)] = []
        func settleOldest() async throws(IngestPipelineError) -> Bool {
            let (ticket, bytesRead) = inFlight.removeFirst()
            let outcome: ChunkOutcome
            do {
                outcome = try await ticket.value()
            } catch {
                throw IngestPipelineError(reason: error.description, summary: summary)
            }
            summary.add(outcome, bytesRead: bytesRead)
            progress?(summary)
            if outcome.stopped { summary.stopped = true }
            return outcome.stopped
        }
        while let next = await channel.receive() {
            let chunk: InputChunk<Reader.Unit>
            switch consume next {
            case .success(let received): chunk = received
            case .failure(let error):
                while !inFlight.isEmpty { _ = try await settleOldest() }
                throw IngestPipelineError(reason: error.description, summary: summary)
            }
            let stopOnError = stopOnError
            let report = report
            let bytesRead = chunk.bytesRead
            // The ingest thread moves the units out of the chunk (no copies), so it gets the only reference.
            let box = ChunkBox(consume chunk)
            let ticket = store.submitIngestSession { session throws(LogError) in
                try state.process(&box.chunk, in: &session, stopOnError: stopOnError, report: report)
            }
            inFlight.append((ticket, bytesRead))
            if inFlight.count == 3, try await settleOldest() { break }
        }
        while !inFlight.isEmpty { _ = try await settleOldest() }
        return summary
    }
}

/// Totals of an ingest run.
public struct IngestSummary: Hashable, Sendable {
    /// Events stored (acknowledged per the durability mode).
    public var ingested = 0
    /// Events not stored: every event of a rejected unit; a unit that never became events counts as one.
    public var rejected = 0
    /// Trigger instances resent with the same content as their first record: not written again, counted
    /// neither as ingested nor as rejected.
    public var duplicates = 0
    /// The position (line number or element index) of the last unit stored, if any.
    public var lastStoredPosition: Int?
    /// The sequence number of the last record stored, if any.
    public var lastSeq: UInt64?
    /// Input bytes read.
    public var bytesRead = 0
    /// Whether ingest stopped at a bad unit (`stopOnError`).
    public var stopped = false

    /// Creates empty totals.
    public init() {}

    mutating func add(_ outcome: ChunkOutcome, bytesRead: Int) {
        ingested += outcome.ingested
        rejected += outcome.rejected
        duplicates += outcome.duplicates
        lastStoredPosition = outcome.lastStoredPosition ?? lastStoredPosition
        lastSeq = outcome.lastSeq ?? lastSeq
        self.bytesRead = bytesRead
    }

    /// `N ingested, M rejected`, plus `, K duplicates skipped` when there were duplicates.
    public var counts: String {
        "\(ingested) ingested, \(rejected) rejected" + (duplicates > 0 ? ", \(duplicates) duplicates skipped" : "")
    }

    /// Where the stored input ends, for resuming after a failure: `last stored: line 9440, seq 10391`, or
    /// `nothing stored`. `unit` names positions (`line`, `element`).
    public func lastStored(unit: String) -> String {
        guard let position = lastStoredPosition, let lastSeq else { return "nothing stored" }
        return "last stored: \(unit) \(position), seq \(lastSeq)"
    }
}

/// Ingest failed part way: why, and what had been stored by then.
public struct IngestPipelineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed: the input (`read DIR: Is a directory`) or the log (`I/O error: …`).
    public var reason: String
    /// What was stored before the failure (nothing of the failed chunk: a failed append is cut back).
    public var summary: IngestSummary

    public var description: String { reason }
}

/// A parsed chunk handed to the ingest thread, which empties it (``ConverterState/process(_:in:stopOnError:report:)``
/// moves its units out). Only that thread touches it once handed over: hence `@unchecked Sendable`.
private final class ChunkBox<Unit: Sendable>: @unchecked Sendable {
    var chunk: InputChunk<Unit>

    init(_ chunk: consuming InputChunk<Unit>) {
        self.chunk = chunk
    }
}

/// What one chunk did.
struct ChunkOutcome: Sendable {
    var ingested = 0
    var rejected = 0
    var duplicates = 0
    var lastStoredPosition: Int?
    var lastSeq: UInt64?
    var stopped = false
}

/// The converter and scratch buffers, used only inside ingest sessions (which run one at a time, on the store's
/// ingest thread): hence `@unchecked Sendable`.
private final class ConverterState<Converter: IngestConverter & ~Copyable>: @unchecked Sendable {
    var converter: Converter
    /// Set once a chunk stopped at a bad unit: chunks submitted after it store nothing.
    var stopped = false
    var events: [IncomingEvent] = []
    var outcomes: [EventOutcome] = []

    init(_ converter: consuming Converter) {
        self.converter = converter
    }

    /// Where a chunk's processing is: the next entry and the next unit.
    private struct Cursor {
        var entry = 0
        var unit = 0
    }

    /// Converts and resolves a chunk's units in order, moving them out of `chunk` (which is left emptied); their
    /// records stay pending in `session` (the store writes them when the session's call ends).
    func process(
        _ chunk: inout InputChunk<Converter.Unit>, in session: inout IngestSession, stopOnError: Bool,
        report: (String) -> Void
    ) throws(LogError) -> ChunkOutcome {
        var outcome = ChunkOutcome()
        if stopped { return outcome }
        // The scratch buffers are used through locals: each access to a class's stored property is checked for
        // exclusivity at run time, several times per unit otherwise. They are emptied once per chunk, not per
        // unit (`removeAll(keepingCapacity:)` costs a few hundred instructions even on a one-element array).
        var events = self.events
        var outcomes = self.outcomes
        self.events = []
        self.outcomes = []
        defer {
            stopped = stopped || outcome.stopped
            events.removeAll(keepingCapacity: true)
            outcomes.removeAll(keepingCapacity: true)
            self.events = events
            self.outcomes = outcomes
        }
        let entries = chunk.entries
        var units = chunk.takeUnits()
        var cursor = Cursor()
        while cursor.entry < entries.count, !outcome.stopped {
            // Units that are events already are resolved where they are, until a rejection, whose message names
            // the unit (which only the converter can do, outside the events' access).
            var rejection: (unit: Int, position: Int, error: ResolutionError)?
            let passedThrough = try Converter.withUnitsAsEvents(&units) { (events) throws(LogError) in
                rejection = try resolveEvents(
                    &events, entries: entries, cursor: &cursor, session: &session, outcomes: &outcomes,
                    outcome: &outcome, stopOnError: stopOnError, report: report)
            }
            guard passedThrough else {
                try convertUnits(
                    &units, entries: entries, session: &session, events: &events, outcomes: &outcomes,
                    outcome: &outcome, stopOnError: stopOnError, report: report)
                break
            }
            if let rejection {
                report("\(converter.location(of: units[rejection.unit], at: rejection.position)): \(rejection.error)")
            }
        }
        return outcome
    }

    /// Resolves units that are one event each (``IngestConverter/withUnitsAsEvents(_:_:)``), in place, from
    /// `cursor` on; stops after the first rejected one and returns it.
    private func resolveEvents(
        _ events: inout [IncomingEvent], entries: [InputChunk<Converter.Unit>.Entry], cursor: inout Cursor,
        session: inout IngestSession, outcomes: inout [EventOutcome], outcome: inout ChunkOutcome, stopOnError: Bool,
        report: (String) -> Void
    ) throws(LogError) -> (unit: Int, position: Int, error: ResolutionError)? {
        while cursor.entry < entries.count, !outcome.stopped {
            let entry = cursor.entry
            cursor.entry += 1
            switch entries[entry] {
            case .problem(let problem):
                report(problem.message)
                outcome.rejected += problem.events
                outcome.stopped = stopOnError
            case .unit(let position):
                let unit = cursor.unit
                cursor.unit += 1
                let first = outcomes.count
                if let rejection = try session.resolve(taking: &events, range: unit..<(unit + 1), outcomes: &outcomes) {
                    outcome.rejected += 1
                    outcome.stopped = stopOnError
                    return (unit, position, rejection.error)
                }
                outcome.count(outcomes, from: first, position: position)
            }
        }
        return nil
    }

    /// Converts each unit into events and resolves them, from the first entry on.
    private func convertUnits(
        _ units: inout [Converter.Unit], entries: [InputChunk<Converter.Unit>.Entry], session: inout IngestSession,
        events: inout [IncomingEvent], outcomes: inout [EventOutcome], outcome: inout ChunkOutcome,
        stopOnError: Bool, report: (String) -> Void
    ) throws(LogError) {
        var nextUnit = 0
        for entry in entries {
            switch entry {
            case .problem(let problem):
                report(problem.message)
                outcome.rejected += problem.events
                outcome.stopped = stopOnError
            case .unit(let position):
                let unit = nextUnit
                nextUnit += 1
                let start = events.count
                let checkpoint: Converter.Checkpoint
                do throws(InputProblem) {
                    checkpoint = try converter.convert(moving: &units[unit], position: position, into: &events)
                } catch {
                    report(error.message)
                    outcome.rejected += error.events
                    outcome.stopped = stopOnError
                    break
                }
                let first = outcomes.count
                if let rejection = try session.resolve(
                    taking: &events, range: start..<events.count, outcomes: &outcomes)
                {
                    converter.restore(checkpoint)
                    report("\(converter.location(of: units[unit], at: position)): \(rejection.error)")
                    outcome.rejected += events.count - start
                    outcome.stopped = stopOnError
                } else {
                    outcome.count(outcomes, from: first, position: position)
                }
            }
            if outcome.stopped { break }
        }
    }
}

extension ChunkOutcome {
    /// Counts the outcomes of a unit that was stored, at `position`: `outcomes[first...]` (read by index: a slice
    /// would retain and release the buffer once per unit).
    fileprivate mutating func count(_ outcomes: [EventOutcome], from first: Int, position: Int) {
        for index in first..<outcomes.count {
            if let seq = outcomes[index].seq {
                ingested += 1
                lastSeq = seq  // in order: a unit's last record is its last event's
            } else {
                duplicates += 1
            }
        }
        lastStoredPosition = position
    }
}
