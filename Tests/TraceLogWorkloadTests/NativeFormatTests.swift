import Foundation
import Testing
import TraceLogWorkload

/// Every line must match the native event format (TraceLogIngest.docc/NativeEventFormat.md) exactly:
/// unknown keys are rejected by the ingest, so the generator must never emit one.
@Suite("Native event format")
struct NativeFormatTests {
    private static let commonKeys: Set<String> = ["type", "id", "time", "trace", "caused_by"]
    private static let keysByType: [String: Set<String>] = [
        "trigger_instance": ["trigger", "payload", "source", "hook", "timer"],
        "rule_enforcement": ["rule", "trigger_instance", "execution"],
        "execution": [
            "action", "run_id", "attempt", "status", "parent", "rerun_of", "input", "output", "duration_ms", "failure",
            "failure_message",
        ],
        "flow_event": ["event", "details", "node"],
    ]
    private static let requiredByType: [String: Set<String>] = [
        "trigger_instance": ["trigger"],
        "rule_enforcement": ["rule", "trigger_instance"],
        "execution": ["action"],
        "flow_event": ["event", "details"],
    ]
    private static let sources: Set<String> = [
        "sensor", "webhook", "action_trigger", "notify_trigger", "timer", "api",
    ]

    @Test("every line is one JSON object with exactly the keys its type allows", arguments: [1, 2024] as [UInt64])
    func keysAreAllowedAndComplete(seed: UInt64) throws {
        let sample = try WorkloadSample(seed: seed, count: 20_000)
        for (index, object) in sample.objects.enumerated() {
            let line = index + 1
            let type = object.type
            let allowed = try #require(Self.keysByType[type], "line \(line): unknown type \(type)")
            let keys = Set(object.keys)
            #expect(keys.subtracting(Self.commonKeys.union(allowed)).isEmpty, "line \(line): unknown keys in \(keys)")
            let required = Self.requiredByType[type]!.union(["type", "id", "time"])
            #expect(required.isSubset(of: keys), "line \(line): missing \(required.subtracting(keys))")
            #expect(!sample.lines[index].contains("\n") && !sample.lines[index].hasSuffix(" "))
        }
    }

    @Test("values have the types and ranges the format requires")
    func valuesAreWellTyped() throws {
        let sample = try WorkloadSample(seed: 77, count: 20_000)
        let timePattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/#
        for (index, object) in sample.objects.enumerated() {
            let line = index + 1
            let time = try #require(object["time"] as? String, "line \(line)")
            #expect(time.wholeMatch(of: timePattern) != nil, "line \(line): time \(time)")
            #expect(!object.id.isEmpty, "line \(line): empty id")
            if let trace = object["trace"] {
                let trace = try #require(trace as? [String: String], "line \(line): trace is not {tag}")
                #expect(Array(trace.keys) == ["tag"] && trace["tag"]?.isEmpty == false, "line \(line): trace \(trace)")
            }
            if let cause = object["caused_by"] {
                let cause = try #require(cause as? [String: String], "line \(line)")
                #expect(Set(cause.keys) == ["type", "id"], "line \(line)")
                #expect(["trigger_instance", "rule", "execution"].contains(cause["type"]), "line \(line)")
            }
            switch object.type {
            case "trigger_instance":
                #expect(Self.sources.contains(object.string("source") ?? ""), "line \(line)")
                #expect(object["payload"] is [String: Any], "line \(line)")
                #expect((object["hook"] != nil) == (object.string("source") == "webhook"), "line \(line)")
                #expect((object["timer"] != nil) == (object.string("source") == "timer"), "line \(line)")
            case "rule_enforcement":
                let rule = try #require(object["rule"] as? [String: String], "line \(line)")
                #expect(Set(rule.keys) == ["id", "ref"], "line \(line)")
            case "execution":
                try checkExecution(object, line: line)
            default:
                #expect(selinonEventNames.contains(object.string("event") ?? ""), "line \(line)")
                #expect(object["details"] is [String: Any], "line \(line)")
            }
        }
    }

    private func checkExecution(_ object: [String: Any], line: Int) throws {
        let attempt = try #require(object["attempt"] as? Int, "line \(line)")
        #expect(attempt >= 1, "line \(line)")
        if let duration = object["duration_ms"] {
            let milliseconds = try #require(duration as? Double, "line \(line)")
            #expect(milliseconds >= 0, "line \(line)")
        }
        let failure = object.string("failure")
        #expect(failure == nil || ["RECOVERABLE", "TERMINAL", "AMBIGUOUS"].contains(failure!), "line \(line)")
        #expect((failure != nil) == (object["failure_message"] != nil), "line \(line): failure without message")
        if failure != nil { #expect(object["output"] == nil, "line \(line): output on a failed attempt") }
        if object["run_id"] != nil {
            #expect(object["status"] == nil, "line \(line): Stroma attempts carry no status")
            #expect((object["output"] == nil) == (failure != nil), "line \(line): output exactly on success")
        }
    }
}
