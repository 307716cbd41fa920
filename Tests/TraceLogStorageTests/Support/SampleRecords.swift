@testable import TraceLogStorage

/// Records of every kind, with optional fields both absent and present, for round-trip tests.
enum SampleRecords {
    static let traceID = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!
    static let time = Timestamp(microseconds: 1_795_000_000_123_456)

    static let bodies: [RecordBody] = [
        .traceStart(TraceStart(tag: "deploy-42")),
        .traceStart(TraceStart(tag: "", origin: EntityRef(type: .triggerInstance, id: "ti-1"))),
        .triggerInstance(TriggerInstance(id: "ti-1", trigger: "core.st2.webhook", source: .webhook)),
        .triggerInstance(
            TriggerInstance(
                id: "ti-2", trigger: "core.st2.generic.actiontrigger", source: .actionTrigger,
                payload: RawJSON(#"{ "status" : "succeeded", "n": 1.0e+2, "ü": "\u00fc" }"#),
                causedBy: EntityRef(type: .execution, id: "ex-1"), hook: "github", timer: "every-5m")),
        .ruleEnforcement(RuleEnforcement(id: "re-1", ruleID: "r-9", ruleRef: "ci.on_push", triggerInstanceID: "ti-1")),
        .ruleEnforcement(
            RuleEnforcement(
                id: "re-2", ruleID: "r-9", ruleRef: "ci.on_push", triggerInstanceID: "ti-2", executionID: "ex-2",
                causedBy: EntityRef(type: .triggerInstance, id: "ti-2"))),
        .executionAttempt(ExecutionAttempt(id: "ex-1", action: "core.local")),
        .executionAttempt(
            ExecutionAttempt(
                id: "ex-2", action: "fetch", runID: "run-7", attempt: 3, status: "failed", parent: "wf-1",
                rerunOf: "ex-0", input: RawJSON(#"{"url":"https://example.test/a?b=c"}"#), output: RawJSON("null"),
                durationMs: 1500.25, failure: .recoverable, failureMessage: "timeout — retrying 🚀",
                causedBy: EntityRef(type: .rule, id: "re-2"))),
        .executionAttempt(ExecutionAttempt(id: "ex-3", action: "parse", failure: .terminal)),
        .executionAttempt(ExecutionAttempt(id: "ex-4", action: "parse", failure: .ambiguous, failureMessage: "")),
        .causationLink(
            CausationLink(entity: EntityRef(type: .execution, id: "ex-1"), causedBy: EntityRef(type: .rule, id: "re-1"))
        ),
        .flowEvent(FlowEvent(event: "DISPATCHER_WAKEUP")),
        .flowEvent(
            FlowEvent(
                event: "TASK_START", entityID: "task-1", node: "worker-3",
                details: RawJSON(#"{"flow_name":"flow1","task_name":"Task1","task_id":"task-1"}"#))),
    ]

    static var records: [Record] {
        bodies.enumerated().map { index, body in
            Record(time: Timestamp(microseconds: time.microseconds + Int64(index)), traceID: traceID, body: body)
        }
    }

    /// `count` small execution records with predictable contents, for log tests.
    static func numbered(_ count: Int, startingAt first: Int = 0, payloadBytes: Int = 40) -> [Record] {
        let padding = String(repeating: "x", count: payloadBytes)
        var records: [Record] = []
        for number in first..<first + count {
            let input = RawJSON("{\"n\":\(number),\"pad\":\"\(padding)\"}")
            let attempt = ExecutionAttempt(
                id: "ex-\(number)", action: "node-\(number % 7)", attempt: UInt32(number % 3 + 1), input: input)
            let time = Timestamp(microseconds: time.microseconds + Int64(number))
            let traceID = TraceID(high: 1, low: UInt64(number / 10 + 1))
            records.append(Record(time: time, traceID: traceID, body: .executionAttempt(attempt)))
        }
        return records
    }
}
