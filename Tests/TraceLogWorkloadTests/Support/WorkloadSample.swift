import Foundation
import TraceLogWorkload

/// Generated lines and their Foundation-parsed objects, for tests that inspect a workload.
struct WorkloadSample {
    let lines: [String]
    let objects: [[String: Any]]

    /// The first `count` lines of the workload for `seed` and `mix`, parsed with `JSONSerialization`.
    init(seed: UInt64, count: Int, mix: WorkloadMix = .mixed) throws {
        let generator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: seed, mix: mix))
        lines = generator.prefix(count).map { String(decoding: $0, as: UTF8.self) }
        objects = try lines.enumerated().map { index, line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let object = value as? [String: Any] else { throw SampleError.notAnObject(line: index + 1) }
            return object
        }
    }

    enum SampleError: Error {
        case notAnObject(line: Int)
    }
}

extension Dictionary where Key == String, Value == Any {
    var type: String { self["type"] as? String ?? "" }
    var id: String { self["id"] as? String ?? "" }
    var tag: String? { (self["trace"] as? [String: Any])?["tag"] as? String }
    var cause: (type: String, id: String)? {
        guard let cause = self["caused_by"] as? [String: Any], let type = cause["type"] as? String,
            let id = cause["id"] as? String
        else { return nil }
        return (type, id)
    }
    var attempt: Int { self["attempt"] as? Int ?? 1 }
    func string(_ key: String) -> String? { self[key] as? String }
}

/// Selinon's 53 trace event names (`selinon.trace.Trace._event_strings`).
let selinonEventNames: Set<String> = [
    "DISPATCHER_WAKEUP", "FLOW_SCHEDULE", "FLOW_START", "TASK_SCHEDULE", "TASK_START", "SUBFLOW_SCHEDULE",
    "TASK_END", "NODE_SUCCESSFUL", "TASK_DISCARD_RESULT", "TASK_FAILURE", "TASK_RETRY", "FLOW_FAILURE",
    "DISPATCHER_FAILURE", "NODE_FAILURE", "FALLBACK_START", "DISPATCHER_RETRY", "FLOW_END", "STORAGE_CONNECT",
    "STORAGE_DISCONNECT", "STORAGE_RETRIEVE", "STORAGE_RETRIEVED", "STORAGE_STORE", "STORAGE_STORED",
    "EDGE_COND_FALSE", "FOREACH_RESULT", "NODE_STATE_CACHE_GET", "NODE_STATE_CACHE_ADD", "NODE_STATE_CACHE_MISS",
    "NODE_STATE_CACHE_HIT", "TASK_RESULT_CACHE_GET", "TASK_RESULT_CACHE_ADD", "TASK_RESULT_CACHE_MISS",
    "TASK_RESULT_CACHE_HIT", "SELECTIVE_OMIT_EDGE", "SELECTIVE_OMIT_NODE", "SELECTIVE_RUN_FUNC",
    "SELECTIVE_TASK_REUSE", "STORAGE_STORE_ERROR", "STORAGE_OMIT_STORE_ERROR", "FALLBACK_COND_FALSE",
    "FALLBACK_COND_TRUE", "NODE_STATE_CACHE_ISSUE", "TASK_RESULT_CACHE_ISSUE", "STORAGE_ISSUE",
    "RESULT_BACKEND_ISSUE", "FLOW_RETRY", "MIGRATION", "MIGRATION_SKEW", "MIGRATION_TAINTED_FLOW",
    "MIGRATION_ERROR", "EAGER_FAILURE", "STORAGE_DELETE", "STORAGE_DELETED",
]
