public import TraceLog
import TraceLogStorage

/// Prints a run exactly as Stroma's `ExecutionTrace.to_json()` does (stroma 0.3.2, checked byte for byte against
/// the real library by the fixtures in `Tests/TraceLogIngestTests/Fixtures`).
///
/// The shape: one line, a JSON array with one object per attempt in recorded order, keys in the order
/// `node_id, run_id, attempt, timestamp_utc, input_state, output_state, duration_ms, failure, failure_message`,
/// Python's `json.dumps` defaults (separators `", "` and `": "`, non-ASCII as `\uXXXX`, floats as `repr`),
/// timestamps as `datetime.isoformat()` in UTC (`2026-11-22T10:00:00.000123+00:00`; no fraction on a whole
/// second), `null` for a missing output, failure and message. No trailing newline.
///
/// Where a run did not come from Stroma: a missing `input` is written as `{}` (Stroma's `input_state` is a
/// dict), a missing run id as the run's most common run id or else its trace id, a missing duration as `0`,
/// a whole-number duration as an integer and any other as a Python float.
///
/// Cost: one pass over the attempts; each stored input and output is parsed once to be re-serialized in
/// Python's style (so that values ingested in any spelling print as Stroma would).
public struct StromaExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    /// The `to_json()` text of `run`.
    public func json(for run: RunProjection) -> String {
        let fallbackRunID = run.runID ?? run.traceID.description
        var output = PythonJSON()
        output.text += "["
        for (index, attempt) in run.attempts.enumerated() {
            if index > 0 { output.text += ", " }
            write(attempt, runID: attempt.runID ?? fallbackRunID, to: &output)
        }
        output.text += "]"
        return output.text
    }

    private func write(_ attempt: RunAttempt, runID: String, to output: inout PythonJSON) {
        output.text += "{\"node_id\": "
        output.appendString(attempt.node)
        output.text += ", \"run_id\": "
        output.appendString(runID)
        output.text += ", \"attempt\": \(attempt.attempt), \"timestamp_utc\": "
        output.appendString(Self.isoformat(attempt.time))
        output.text += ", \"input_state\": "
        writeRaw(attempt.input, ifAbsent: "{}", to: &output)
        output.text += ", \"output_state\": "
        writeRaw(attempt.output, ifAbsent: "null", to: &output)
        output.text += ", \"duration_ms\": "
        let duration = attempt.durationMs ?? 0
        if duration == duration.rounded(.towardZero), abs(duration) < 9_007_199_254_740_992 {
            output.text += String(Int64(duration))
        } else {
            output.appendFloat(duration)
        }
        output.text += ", \"failure\": "
        output.appendString(attempt.failure?.name)
        output.text += ", \"failure_message\": "
        output.appendString(attempt.failureMessage)
        output.text += "}"
    }

    private func writeRaw(_ raw: RawJSON?, ifAbsent absent: String, to output: inout PythonJSON) {
        guard let raw else {
            output.text += absent
            return
        }
        let bytes = Array(raw.text.utf8)
        if let value = try? SourceJSONParser.parse(bytes) {
            output.append(value)
        } else {
            // Stored values are valid JSON by construction; never drop one silently if that ever breaks.
            output.text += raw.text
        }
    }

    /// Python's `datetime.isoformat()` of an aware UTC datetime: six fractional digits unless they are all zero.
    static func isoformat(_ time: Timestamp) -> String {
        var text = time.rfc3339(zoneSuffix: "+00:00")
        if time.microseconds % 1_000_000 == 0, let dot = text.lastIndex(of: ".") {
            text.removeSubrange(dot..<text.index(dot, offsetBy: 7))
        }
        return text
    }
}
