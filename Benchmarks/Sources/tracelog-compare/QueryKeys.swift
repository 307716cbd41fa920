import TraceLogStorage
import TraceLogWorkload

/// The keys the query rows use, drawn with a fixed seed from what was ingested: `queries` trace ids for
/// `trace get`, `listQueries` tags and as many execution ids for `trace list`. The benchmark and the
/// `cold-queries` profile phase draw the same keys.
struct QueryKeys {
    var get: [TraceID]
    var tag: [String]
    var execution: [String]
    /// Traces in the records, and their distinct tags (for the report).
    var traces: Int
    var distinctTags: Int

    init(records: [Record], queries: Int, listQueries: Int) {
        var traceIDs: [TraceID] = []
        var tags: [String] = []
        var executions: [String] = []
        for record in records {
            switch record.body {
            case .traceStart(let start):
                traceIDs.append(record.traceID)
                tags.append(start.tag)
            case .executionAttempt(let attempt): executions.append(attempt.id)
            default: break
            }
        }
        var random = SeededRandom(seed: 7)
        get = (0..<queries).map { _ in traceIDs.randomElement(using: &random)! }
        tag = (0..<listQueries).map { _ in tags.randomElement(using: &random)! }
        execution = (0..<listQueries).map { _ in executions.randomElement(using: &random)! }
        traces = traceIDs.count
        distinctTags = Set(tags).count
    }
}
