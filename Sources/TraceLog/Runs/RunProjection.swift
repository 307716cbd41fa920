public import TraceLogStorage

/// One execution attempt of a pipeline node (Stroma's `TraceEvent`).
public struct RunAttempt: Hashable, Sendable {
    /// Sequence number of the attempt's record.
    public var seq: UInt64
    /// The execution id.
    public var executionID: String
    /// The node (action) that ran.
    public var node: String
    /// The pipeline run id, if recorded.
    public var runID: String?
    /// 1-based attempt number.
    public var attempt: UInt32
    /// When the attempt started.
    public var time: Timestamp
    /// Wall-clock duration.
    public var durationMs: Double?
    /// The input, byte for byte.
    public var input: RawJSON?
    /// The output; absent on failure.
    public var output: RawJSON?
    /// The status, if recorded.
    public var status: String?
    /// The failure class, or nil on success.
    public var failure: FailureClass?
    /// The failure message.
    public var failureMessage: String?
}

/// A run: a trace whose executions are pipeline nodes, seen as its attempts in recorded order (Stroma model).
public struct RunProjection: Hashable, Sendable {
    /// The trace of the run.
    public var traceID: TraceID
    /// The trace tag (`run-<run_id>` for imported and generated runs).
    public var tag: String
    /// Every attempt, in recorded (sequence) order — Stroma's `replay()` order.
    public var attempts: [RunAttempt]

    /// Builds a run from a trace's records.
    public init(traceID: TraceID, tag: String, records: [StoredRecord]) {
        self.traceID = traceID
        self.tag = tag
        attempts = records.compactMap { stored in
            guard case .executionAttempt(let attempt) = stored.record.body else { return nil }
            return RunAttempt(
                seq: stored.seq, executionID: attempt.id, node: attempt.action, runID: attempt.runID,
                attempt: attempt.attempt, time: stored.record.time, durationMs: attempt.durationMs,
                input: attempt.input,
                output: attempt.output, status: attempt.status, failure: attempt.failure,
                failureMessage: attempt.failureMessage)
        }
    }

    /// Attempts whose failure is set (Stroma's `failures()`).
    public func failures() -> [RunAttempt] { attempts.filter { $0.failure != nil } }

    /// Attempts of one node, in recorded order (Stroma's `events_for(node)`).
    public func events(for node: String) -> [RunAttempt] { attempts.filter { $0.node == node } }

    /// The run id most attempts carry.
    public var runID: String? {
        let ids = attempts.compactMap(\.runID)
        return Dictionary(grouping: ids, by: { $0 }).max { $0.value.count < $1.value.count }?.key
    }
}

extension TraceStore {
    /// The run named by `name`: a trace id, else the trace tagged `name`, else the trace tagged `run-<name>`
    /// (a Stroma run id). Throws when a tag names several traces, listing them: pass a trace id instead.
    public func run(_ name: String) throws(LogError) -> RunProjection? {
        guard let trace = try traceNamed(name) else { return nil }
        return RunProjection(traceID: trace.id, tag: trace.tag, records: trace.records)
    }

    /// A trace by id, else by unique tag, else by unique tag `run-<name>`, else by unique id prefix (4 or more
    /// hex characters, see ``trace(idPrefix:)``).
    ///
    /// - Throws: `LogError.invalidArgument` when the tag names several traces (two imports of Stroma documents
    ///   with the same run id, a tag reused by a scheduler): the message says how many and lists the first 10
    ///   traces' ids and start times, oldest first, one per line. A trace id always names one trace.
    public func traceNamed(_ name: String) throws(LogError) -> TraceProjection? {
        if let id = TraceID(hex: name), let trace = try trace(id) { return trace }
        for tag in [name, "run-\(name)"] {
            // The trace-start records themselves, so a tag-hash collision never counts.
            let starts = try reader.records(.tag, key: tag)
            if starts.count > 1 {
                let listed = starts.sorted { ($0.record.time, $0.seq) < ($1.record.time, $1.seq) }.prefix(10)
                    .map { "  \($0.record.traceID)  started \($0.record.time)" }
                throw .invalidArgument(
                    "\(name) matches \(starts.count) traces tagged \(tag); name one by its trace id:\n"
                        + listed.joined(separator: "\n")
                        + (starts.count > 10 ? "\n  … and \(starts.count - 10) more" : ""))
            }
            if let start = starts.first { return try trace(start.record.traceID) }
        }
        if let trace = try trace(idPrefix: name) { return trace }
        // Not found: known damage may hold it, and then saying "not found" would hide it.
        _ = try DamagePolicy.fail.answer((), damage: try reader.damage())
        return nil
    }

    /// The trace whose id starts with `prefix` (4 to 31 lowercase hex characters); nil when no id does or
    /// `prefix` is not one.
    ///
    /// - Throws: `LogError.invalidArgument` when several ids start with it, listing up to 10 of them (id and
    ///   start time). Cost: one pass over the trace-start tables (40 bytes per trace).
    public func trace(idPrefix prefix: String) throws(LogError) -> TraceProjection? {
        guard (4...31).contains(prefix.utf8.count),
            prefix.utf8.allSatisfy({
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            })
        else { return nil }
        let matches = try reader.traceStarts().filter { $0.traceID.description.hasPrefix(prefix) }
        if matches.count > 1 {
            let listed = matches.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }.prefix(10)
                .map { "  \($0.traceID)  started \(Timestamp(microseconds: $0.time))" }
            throw .invalidArgument(
                "\(prefix) is the start of \(matches.count) trace ids; give more of it:\n"
                    + listed.joined(separator: "\n") + (matches.count > 10 ? "\n  …" : ""))
        }
        guard let only = matches.first else { return nil }
        return try trace(only.traceID)
    }
}
