/// What an input that did not parse as native lines looks like, so `tracelog ingest` can say which `--format`
/// to use instead of only rejecting every line.
public enum FormatGuess {
    /// The `--format` value and a description of what the start of an input (`prefix`, its first bytes) looks
    /// like: OTLP/JSON (`resourceSpans`), a Stroma `to_json()` array (`node_id`, `run_id`, `timestamp_utc`),
    /// Selinon trace lines (`SELINON` logging lines, or `event` and `details` members), or StackStorm traces
    /// (`trace_tag`); nil when it looks like none of them. Cost: a few substring searches of `prefix`.
    public static func guess(_ prefix: [UInt8]) -> (format: String, looksLike: String)? {
        let text = String(decoding: prefix, as: UTF8.self)
        if text.contains("\"resourceSpans\"") { return ("otlp", "OTLP/JSON (resourceSpans)") }
        if text.contains("\"node_id\""), text.contains("\"run_id\""), text.contains("\"timestamp_utc\"") {
            return ("stroma", "Stroma's to_json() output")
        }
        if text.contains(" SELINON ") || (text.contains("\"event\"") && text.contains("\"details\"")) {
            return ("selinon", "Selinon trace lines")
        }
        if text.contains("\"trace_tag\"") { return ("st2", "StackStorm traces (st2 trace get -j)") }
        return nil
    }
}
