/// Selinon's trace event names, exactly as `selinon.trace.Trace._event_strings` lists them (selinon 1.4.0), in
/// Selinon's order (the index is Selinon's event number).
public enum SelinonEventName {
    /// All 53 names, `DISPATCHER_WAKEUP` … `STORAGE_DELETED`.
    public static let all: [String] = [
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

    /// The same names as a set, for validation.
    public static let known: Set<String> = Set(all)

    /// Whether `name` is one of Selinon's events.
    public static func isKnown(_ name: String) -> Bool { known.contains(name) }
}
