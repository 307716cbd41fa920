import Foundation
import TraceLog
import TraceLogStorage

/// A fresh log in a temporary directory, removed at the end of `withLog`.
func withLog<T>(_ body: (WritableTraceStore) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-analysis-\(UUID())").path
    let store = try WritableTraceStore.open(directory: path, options: LogOptions(durability: .none))
    defer {
        try? store.close()
        try? FileManager.default.removeItem(atPath: path)
    }
    return try await body(store)
}

/// Events of one pipeline run: a trace tagged `tag`, one execution per node (`durations` in ms, in order), the
/// node `failing` with a terminal failure; `retried` nodes fail once (recoverable) before succeeding.
func pipelineRun(
    tag: String, start: Int64, durations: [(String, Double)], failing: String? = nil, retried: Set<String> = []
) -> [IncomingEvent] {
    var events: [IncomingEvent] = []
    let prefix = "\(tag)-\(start)"
    var time = start
    for (index, (node, duration)) in durations.enumerated() {
        let id = "\(prefix).\(node)"
        let cause = index == 0 ? nil : EntityRef(type: .execution, id: "\(prefix).\(durations[index - 1].0)")
        var attempt: UInt32 = 1
        if retried.contains(node) {
            events.append(
                IncomingEvent(
                    body: .executionAttempt(
                        ExecutionAttempt(
                            id: id, action: node, attempt: 1, status: "failed", durationMs: 1, failure: .recoverable,
                            causedBy: cause)),
                    time: Timestamp(microseconds: time), trace: index == 0 ? TraceContext(tag: tag) : nil))
            attempt = 2
            time += 1000
        }
        events.append(
            IncomingEvent(
                body: .executionAttempt(
                    ExecutionAttempt(
                        id: id, action: node, attempt: attempt, status: node == failing ? "failed" : "succeeded",
                        durationMs: duration, failure: node == failing ? .terminal : nil, causedBy: cause)),
                time: Timestamp(microseconds: time),
                trace: index == 0 && attempt == 1 ? TraceContext(tag: tag) : nil))
        time += Int64(duration * 1000)
    }
    return events
}
