public import TraceLogStorage

/// One node in one run: what `compare` and `history` measure (SPEC §9).
///
/// A node is an execution's action (Stroma's node id, Selinon's task or flow name, StackStorm's action ref).
/// An attempt is one attempt number of one execution: its records (status updates such as `scheduled`,
/// `running`, `succeeded`) are folded into one, keeping the last record's status and failure and the last
/// duration recorded.
public struct NodeRunSample: Hashable, Sendable {
    /// The sum of the attempts' `duration_ms`; nil when no attempt recorded a duration.
    public var durationMs: Double?
    /// Whether the node's last attempt in the run failed: it has a failure class, or ended in StackStorm's
    /// `failed`, `timeout` or `abandoned` status.
    public var failed: Bool
    /// The attempts (over all executions of the node in the run).
    public var attempts: Int
    /// Attempts minus 1 per execution: retries, not executions, when a node ran more than once.
    public var retries: Int

    /// Creates a sample.
    public init(durationMs: Double?, failed: Bool, attempts: Int, retries: Int) {
        self.durationMs = durationMs
        self.failed = failed
        self.attempts = attempts
        self.retries = retries
    }

    /// Statuses that end an attempt as failed even without a failure class (StackStorm's).
    static let failedStatuses: Set<String> = ["failed", "timeout", "abandoned"]

    /// The nodes of one run, from its records (any order; only execution attempts are used). O(records).
    public static func nodes(of records: [StoredRecord]) -> [String: NodeRunSample] {
        struct Attempt {
            var lastSeq: UInt64
            var duration: Double?
            var failed: Bool
        }
        struct Execution {
            var node: String
            var attempts: [UInt32: Attempt] = [:]
        }
        var executions: [String: Execution] = [:]
        for stored in records.sorted(by: { $0.seq < $1.seq }) {
            guard case .executionAttempt(let body) = stored.record.body else { continue }
            var execution = executions[body.id] ?? Execution(node: body.action)
            var attempt = execution.attempts[body.attempt] ?? Attempt(lastSeq: stored.seq, duration: nil, failed: false)
            attempt.lastSeq = stored.seq
            if let duration = body.durationMs { attempt.duration = duration }
            attempt.failed = body.failure != nil || body.status.map { failedStatuses.contains($0) } == true
            execution.attempts[body.attempt] = attempt
            executions[body.id] = execution
        }
        var nodes: [String: (sample: NodeRunSample, lastSeq: UInt64)] = [:]
        for execution in executions.values {
            var entry =
                nodes[execution.node]
                ?? (NodeRunSample(durationMs: nil, failed: false, attempts: 0, retries: 0), 0)
            for attempt in execution.attempts.values {
                if let duration = attempt.duration {
                    entry.sample.durationMs = (entry.sample.durationMs ?? 0) + duration
                }
                if attempt.lastSeq >= entry.lastSeq {
                    entry.lastSeq = attempt.lastSeq
                    entry.sample.failed = attempt.failed
                }
            }
            entry.sample.attempts += execution.attempts.count
            entry.sample.retries += execution.attempts.count - 1
            nodes[execution.node] = entry
        }
        return nodes.mapValues(\.sample)
    }
}
