/// What starts an execution attempt and where it belongs: written on an execution's first
/// attempt only (later attempts join their trace through the execution id, SPEC §2 rule 4).
struct ExecutionLinks {
    var cause: (type: CauseType, id: EntityID)?
    var parent: EntityID?
    var rerunOf: EntityID?
    var tag: TraceTagText = .none

    /// No links: a later attempt or status change of an execution already in a trace.
    static let none = ExecutionLinks()
}

/// How one execution attempt ended.
struct AttemptResult {
    /// The `status` value; `nil` for records that carry none (Stroma's attempts).
    var status: StaticString?
    var failure: FailureClass?
    var message: StaticString?

    static let succeeded = AttemptResult(status: "succeeded")
    static let running = AttemptResult(status: "running")
    static let scheduled = AttemptResult(status: "scheduled")
    static let requested = AttemptResult(status: "requested")

    var isFailure: Bool { failure != nil }
}

extension ScenarioScript {
    /// Writes an execution line up to and including `status`, `parent` and `rerun_of`;
    /// the caller then adds `input`/`output` and finishes with `endExecution`.
    mutating func beginExecution(
        id: EntityID,
        actionPrefix: StaticString = "",
        action: StaticString,
        runID: EntityID? = nil,
        attempt: Int,
        result: AttemptResult,
        links: ExecutionLinks
    ) {
        beginLine(.execution, id: id)
        beginString("action")
        text.append(actionPrefix)
        text.append(action)
        endString()
        if let runID { field("run_id", id: runID) }
        field("attempt", int: attempt)
        if let status = result.status { field("status", status) }
        if let parent = links.parent { field("parent", id: parent) }
        if let rerunOf = links.rerunOf { field("rerun_of", id: rerunOf) }
    }

    /// Finishes the line begun by `beginExecution`: `duration_ms`, `failure`, `failure_message`,
    /// `caused_by` and `trace`.
    mutating func endExecution(durationThousandths: Int?, result: AttemptResult, links: ExecutionLinks) {
        if let durationThousandths { field("duration_ms", milliseconds: durationThousandths) }
        if let failure = result.failure {
            field("failure", failure.name)
            if let message = result.message { field("failure_message", message) }
        }
        if let cause = links.cause { causedBy(cause.type, cause.id) }
        traceTag(links.tag)
        endLine()
    }
}

/// Reads small choices out of one 64-bit value, so an execution's input is the same on every attempt.
struct SeedBits {
    private var bits: UInt64

    init(_ seed: UInt64) {
        bits = seed
    }

    /// A value in `0..<bound` (bounds up to 256), consuming eight bits.
    mutating func take(_ bound: Int) -> Int {
        let value = Int(bits & 0xFF) % bound
        bits = bits >> 8 | bits << 56
        return value
    }

    mutating func pick(_ names: [StaticString]) -> StaticString {
        names[take(names.count)]
    }
}
