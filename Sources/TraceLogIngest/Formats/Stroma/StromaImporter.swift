import TraceLog
import TraceLogStorage

/// Reads a Stroma run as `ExecutionTrace.to_json()` prints it (the **new** import Stroma itself lacks), so that
/// `tracelog export RUN --format stroma` output ingests back to the same run.
///
/// Mapping, element by element (each is one attempt, in recorded order):
/// - an `execution` attempt with id `<run_id>.<node_id>#<import id>`, `action` = `node_id`, `run_id`,
///   `attempt`, time = `timestamp_utc`, `input` = `input_state` and `output` = `output_state` (both byte for
///   byte; a `null` output is absent), `duration_ms`, `failure`, `failure_message`, and status `succeeded` or
///   `failed`;
/// - one run of one document is one trace: the run's first element carries the trace tag `run-<run_id>` (a new
///   trace); a node's attempts are `caused_by` the execution of the node that ran before that node first ran
///   (none for the first node), and later attempts of a node join through their shared execution id. Several run
///   ids in one array give several traces.
///
/// **Each imported run is its own run.** Stroma's `StromaRunner(run_id=…)` makes a fixed run id ordinary, so two
/// documents (or the same export ingested twice) often share a run id. The import id — 32 random hex characters
/// drawn once per run of a document — keeps their executions apart: without it, the second document's attempts
/// would join the first one's trace as more attempts of the same executions. Both traces are tagged
/// `run-<run_id>` (tags are not unique); a run id that names several traces is ambiguous, and a trace id always
/// names one.
///
/// Strict: every element must be an object with exactly Stroma's nine keys; `attempt` an integer ≥ 1,
/// `failure` `RECOVERABLE`/`TERMINAL`/`AMBIGUOUS` or null, `input_state` an object, `output_state` an object or
/// null, `duration_ms` a number ≥ 0, `timestamp_utc` ISO 8601 with an offset. Errors name the 0-based element
/// and the field.
public struct StromaImporter: Sendable {
    /// Stroma's `TraceEvent` fields, in its order.
    static let keys = [
        "node_id", "run_id", "attempt", "timestamp_utc", "input_state", "output_state", "duration_ms", "failure",
        "failure_message",
    ]

    /// The longest accepted element in bytes, like the line limit of the line-based formats: a longer one would
    /// make records that `tracelog replay` prints as lines `ingest` refuses, or that exceed the record size limit.
    public var maximumElementLength: Int

    /// Draws the import id of each run of a document: 32 random lowercase hex characters.
    public var newImportID: @Sendable () -> String

    /// Creates an importer; `newImportID` replaces the random import ids (tests make them predictable with it).
    public init(
        maximumElementLength: Int = JSONLinesReader.defaultMaximumLineLength,
        newImportID: (@Sendable () -> String)? = nil
    ) {
        self.maximumElementLength = maximumElementLength
        self.newImportID = newImportID ?? { TraceID.random().description }
    }

    /// Converts a whole `to_json()` document into events, in order.
    ///
    /// The document is parsed one element at a time (``ImportDocument/forEachElement(of:format:maximumDepth:buildDepth:_:)``),
    /// so memory holds the events and one element's tree, not the tree of the whole document (a 500,000-attempt
    /// document took 2.3 GB that way). Invalid JSON anywhere is still reported before a problem of an element.
    ///
    /// A well-formed document is converted by a scan that builds no tree (``scannedEvents(from:)``); anything
    /// that scan does not accept is converted here instead, whose errors are the reference.
    public func events(from json: [UInt8]) throws(ImportError) -> [ImportedEvent] {
        if let events = scannedEvents(from: json) { return events }
        return try generalEvents(from: json)
    }

    /// ``events(from:)`` through each element's members: the path every document the scan does not accept takes.
    package func generalEvents(from json: [UInt8]) throws(ImportError) -> [ImportedEvent] {
        var runs: [String: RunState] = [:]
        var events: [ImportedEvent] = []
        // Only the array and its elements' members are built: `input_state` and `output_state` are kept as their
        // text, so their trees are checked but never built.
        let isArray = try ImportDocument.forEachElement(
            of: json, format: .stroma, maximumDepth: Self.maximumDepth, buildDepth: 2
        ) { index, element throws(ImportError) in
            let reader = FieldReader(format: .stroma, location: .element(index), source: json)
            guard element.range.count <= maximumElementLength else {
                throw reader.error(nil, "longer than the limit of \(maximumElementLength) bytes")
            }
            let event = try attempt(from: element, reader: reader, runs: &runs)
            events.append(ImportedEvent(event, at: .element(index)))
        }
        guard isArray else {
            let document = try ImportDocument.parse(json, format: .stroma, maximumDepth: Self.maximumDepth)
            throw ImportError(
                format: .stroma, location: .input,
                reason: "expected a JSON array (Stroma's to_json), got \(document.typeName)")
        }
        return events
    }

    /// The deepest nesting accepted, the array counting as level 1. `input_state` sits one level deeper here
    /// (array, element) than `input` in a native line (the line): one level more than the native limit keeps every
    /// stored attempt replayable, and exportable back.
    static let maximumDepth = NativeEventParser.defaultMaximumDepth + 1

    /// What is known about one run while its elements are read.
    struct RunState {
        /// The run's import id, which makes its execution ids its own.
        var importID: String
        /// The cause of each node's execution, fixed when the node first appears.
        var causes: [String: EntityRef?] = [:]
        /// The node of the previous element.
        var previousNode: String?
    }

    private func attempt(from element: SourceJSON, reader: FieldReader, runs: inout [String: RunState])
        throws(ImportError) -> IncomingEvent
    {
        let members = try reader.members(of: element, allowed: Self.keys)
        for key in Self.keys where members[key] == nil { throw reader.error(key, "missing") }
        let node = try reader.requiredString(members, "node_id")
        let runID = try reader.requiredString(members, "run_id")
        guard let attempt = try reader.integer(members, "attempt", in: 1...Int64(UInt32.max)) else {
            throw reader.error("attempt", "expected an integer ≥ 1, got null")
        }
        let time = try reader.time(members, "timestamp_utc", required: true)
        guard case .object = members["input_state"]!.value else {
            throw reader.error("input_state", "expected an object, got \(members["input_state"]!.typeName)")
        }
        let output = members["output_state"]!
        switch output.value {
        case .object, .null: break
        default: throw reader.error("output_state", "expected an object or null, got \(output.typeName)")
        }
        guard let duration = try reader.nonNegativeNumber(members, "duration_ms") else {
            throw reader.error("duration_ms", "expected a number ≥ 0, got null")
        }
        var failure: FailureClass?
        if let name = try reader.string(members, "failure") {
            guard let parsed = FailureClass(name: name) else {
                throw reader.error("failure", "expected RECOVERABLE, TERMINAL, AMBIGUOUS or null, got \"\(name)\"")
            }
            failure = parsed
        }
        let message = try reader.string(members, "failure_message")
        return event(
            Attempt(
                node: node, runID: runID, attempt: UInt32(attempt), time: time,
                input: reader.raw(members, "input_state")!, output: reader.raw(members, "output_state"),
                durationMs: duration, failure: failure, failureMessage: message),
            runs: &runs)
    }

    /// One element's fields, checked.
    struct Attempt {
        var node: String
        var runID: String
        var attempt: UInt32
        var time: Timestamp?
        var input: RawJSON
        var output: RawJSON?
        var durationMs: Double
        var failure: FailureClass?
        var failureMessage: String?
    }

    /// The event of one checked element, which places it in its run (a new run draws its import id here).
    func event(_ fields: Attempt, runs: inout [String: RunState]) -> IncomingEvent {
        let (node, runID) = (fields.node, fields.runID)
        let isNewRun = runs[runID] == nil
        var run = runs[runID] ?? RunState(importID: newImportID())
        let cause: EntityRef?
        if let known = run.causes[node] {
            cause = known
        } else {
            cause = run.previousNode.map {
                EntityRef(type: .execution, id: Self.executionID(run: runID, node: $0, importID: run.importID))
            }
            run.causes[node] = cause
        }
        if run.previousNode != node { run.previousNode = node }
        runs[runID] = run

        let body = ExecutionAttempt(
            id: Self.executionID(run: runID, node: node, importID: run.importID), action: node, runID: runID,
            attempt: fields.attempt, status: fields.failure == nil ? "succeeded" : "failed", input: fields.input,
            output: fields.output, durationMs: fields.durationMs, failure: fields.failure,
            failureMessage: fields.failureMessage, causedBy: cause)
        return IncomingEvent(
            body: .executionAttempt(body), time: fields.time,
            trace: isNewRun ? TraceLog.TraceContext(tag: "run-\(runID)") : nil)
    }

    /// `<run_id>.<node_id>#<import id>`: the execution id of a node in one imported run. The import id has a
    /// fixed length and no `#`, so two runs never share an execution id, whatever dots their ids hold.
    public static func executionID(run: String, node: String, importID: String) -> String {
        "\(run).\(node)#\(importID)"
    }
}
