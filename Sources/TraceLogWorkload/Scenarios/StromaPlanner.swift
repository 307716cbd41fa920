/// Names of Stroma pipeline nodes and the pipelines built from them.
enum StromaVocabulary {
    static let nodes: [StaticString] = [
        "fetch", "parse", "validate", "enrich", "score", "store", "extract", "transform", "load", "dedupe",
        "classify", "index", "publish",
    ]

    /// Pipelines as lists of `nodes` indices, 2 to 6 nodes each.
    static let pipelines: [[Int]] = [
        [0, 1],
        [0, 1, 5],
        [6, 7, 8],
        [0, 1, 3, 4],
        [0, 9, 3, 10, 11],
        [0, 1, 2, 3, 4, 12],
    ]

    static let sources: [StaticString] = ["s3://ingest/events", "s3://ingest/orders", "kafka://clickstream"]
    static let recoverableMessages: [StaticString] = [
        "TimeoutError: upstream did not answer within 30s", "ConnectionResetError: connection reset by peer",
    ]
    static let terminalMessages: [StaticString] = [
        "ValidationError: 1 validation error for Output", "KeyError: 'records'",
    ]
    static let ambiguousMessages: [StaticString] = ["write may have been applied: response lost after commit"]
}

/// Plans one Stroma-style pipeline run: nodes in order, each with one execution id shared by its
/// attempts; records carry Stroma's fields only (no `status`). The first node's first attempt
/// starts the trace with `trace.tag = run-<run_id>`;
/// node k's first attempt is caused by node k-1's execution. RECOVERABLE failures are retried
/// (up to three attempts), AMBIGUOUS ones sometimes, TERMINAL ones stop the run.
enum StromaPlanner {
    static let maximumAttempts = 3

    /// Writes one whole run into `script`.
    static func plan(into script: inout ScenarioScript, context: inout PlanningContext) {
        let runID = context.runID()
        let pipeline = context.random.pick(StromaVocabulary.pipelines)
        let batch = context.random.between(1, 99_999)
        var records = context.random.between(50, 5_000)
        var previous: EntityID?
        var previousRecords = 0

        for (position, node) in pipeline.enumerated() {
            let execution = runID.stromaNode(node)
            var attempt = 1
            while true {
                let result = nextAttemptResult(random: &context.random)
                var links = ExecutionLinks.none
                if attempt == 1 {
                    if let previous {
                        links.cause = (.execution, previous)
                    } else {
                        links.tag = .id(prefix: "run-", id: runID)
                    }
                }
                script.beginExecution(
                    id: execution, action: StromaVocabulary.nodes[node], runID: runID, attempt: attempt,
                    result: result, links: links)
                script.writeState("input", batch: batch, position: position, records: previousRecords)
                if !result.isFailure {
                    script.writeState("output", batch: batch, position: position + 1, records: records)
                }
                let duration = context.duration(minimumMilliseconds: 0, maximumMilliseconds: 2_500)
                script.endExecution(durationThousandths: duration, result: result, links: links)
                guard let failure = result.failure else { break }
                let retried =
                    attempt < maximumAttempts
                    && (failure == .recoverable || (failure == .ambiguous && context.random.percent(50)))
                guard retried else { return }  // the run stops here
                attempt += 1
            }
            previous = execution
            previousRecords = records
            records = max(1, records - context.random.below(records / 10 + 1))
        }
    }

    private static func nextAttemptResult(random: inout WorkloadRandom) -> AttemptResult {
        let roll = random.below(100)
        if roll < 11 {
            return AttemptResult(
                status: nil, failure: .recoverable, message: random.pick(StromaVocabulary.recoverableMessages))
        } else if roll < 14 {
            return AttemptResult(
                status: nil, failure: .terminal, message: random.pick(StromaVocabulary.terminalMessages))
        } else if roll < 17 {
            return AttemptResult(
                status: nil, failure: .ambiguous, message: random.pick(StromaVocabulary.ambiguousMessages))
        }
        return AttemptResult(status: nil)
    }
}

extension ScenarioScript {
    /// A node's input or output state: what flows from one node to the next. `position` 0 is the
    /// run's initial input; the output of node k equals the input of node k+1.
    mutating func writeState(_ key: StaticString, batch: Int, position: Int, records: Int) {
        openObject(key)
        if position == 0 {
            field("batch", int: batch)
            field("source", StromaVocabulary.sources[batch % StromaVocabulary.sources.count])
        } else {
            field("records", int: records)
        }
        closeObject()
    }
}
