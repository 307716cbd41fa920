import TraceLogStorage

/// A few linked traces with records of every kind: the content of the index target's log and of seeds.
enum FuzzSamples {
    static let traceCount = 6

    static func traceID(_ trace: Int) -> TraceID {
        TraceID(high: 0x7a11_0000 + UInt64(trace), low: 0x5eed_0000_0000 + UInt64(trace))
    }

    /// Records of `traceCount` traces, in the order a workflow engine would log them.
    static var records: [Record] {
        var records: [Record] = []
        var micros: Int64 = 1_795_000_000_000_000
        func add(_ trace: Int, _ body: RecordBody) {
            micros += 1_250
            records.append(Record(time: Timestamp(microseconds: micros), traceID: traceID(trace), body: body))
        }
        for trace in 0..<traceCount {
            let instance = EntityRef(type: .triggerInstance, id: "ti-\(trace)")
            let rule = EntityRef(type: .rule, id: "re-\(trace)")
            let execution = EntityRef(type: .execution, id: "ex-\(trace)")
            add(trace, .traceStart(TraceStart(tag: "tag-\(trace % 3)", origin: instance)))
            add(
                trace,
                .triggerInstance(
                    TriggerInstance(
                        id: instance.id, trigger: "core.st2.webhook", source: .webhook,
                        payload: RawJSON(#"{"ref":"main","n":\#(trace)}"#), hook: "github")))
            add(
                trace,
                .ruleEnforcement(
                    RuleEnforcement(
                        id: rule.id, ruleID: "rule-\(trace % 2)", ruleRef: "ci.on_push", triggerInstanceID: instance.id,
                        executionID: execution.id, causedBy: instance)))
            for attempt in UInt32(1)...2 {
                add(
                    trace,
                    .executionAttempt(
                        ExecutionAttempt(
                            id: execution.id, action: "ci.build", runID: "run-\(trace)", attempt: attempt,
                            status: attempt == 1 ? "failed" : "succeeded", input: RawJSON(#"{"branch":"main"}"#),
                            output: RawJSON("null"), durationMs: 1500.5 * Double(attempt),
                            failure: attempt == 1 ? .recoverable : nil, failureMessage: attempt == 1 ? "timeout" : nil,
                            causedBy: rule)))
            }
            add(trace, .causationLink(CausationLink(entity: execution, causedBy: rule)))
            add(
                trace,
                .flowEvent(
                    FlowEvent(
                        event: "TASK_END", entityID: execution.id, node: "worker-\(trace)",
                        details: RawJSON(#"{"task_id":"ex-\#(trace)"}"#))))
        }
        return records
    }

    /// Index lookups that hit (and a few that miss) the sample records.
    static var lookups: [(IndexKind, String)] {
        var lookups: [(IndexKind, String)] = []
        for trace in 0..<traceCount {
            lookups += [
                (.traceID, traceID(trace).description), (.tag, "tag-\(trace % 3)"), (.triggerInstance, "ti-\(trace)"),
                (.rule, "re-\(trace)"), (.rule, "rule-\(trace % 2)"), (.execution, "ex-\(trace)"),
            ]
        }
        return lookups + [
            (.rule, "ci.on_push"), (.execution, "missing"), (.traceID, "00000000000000000000000000000001"),
        ]
    }
}
