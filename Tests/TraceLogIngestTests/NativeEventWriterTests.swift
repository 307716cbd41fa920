import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogIngest

private let at = Timestamp(microseconds: 1_795_341_600_004_000)  // 2026-11-22T10:00:00.004Z
private let traceID = TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!

/// Strings that need escaping or are not ASCII.
private let awkwardStrings = [
    "", "plain", "line\nbreak", "quote\"inside", "back\\slash", "tab\there", "\u{01}\u{1F}\u{7F}", "carriage\r",
    "é café", "日本語", "🚀 rocket", "/slash/", "\u{2028}\u{2029}", "\u{0}nul",
]

/// One record of every kind, with optional fields absent and present.
private let sampleRecords: [Record] = {
    var bodies: [RecordBody] = [
        .traceStart(TraceStart(tag: "deploy-42")),
        .traceStart(TraceStart(tag: "webhook-github-\"x\"", origin: EntityRef(type: .triggerInstance, id: "ti-1"))),
        .triggerInstance(TriggerInstance(id: "ti-1", trigger: "core.st2.webhook", source: .sensor)),
        .triggerInstance(
            TriggerInstance(
                id: "ti-2", trigger: "core.st2.generic.actiontrigger", source: .actionTrigger,
                payload: RawJSON(#"{ "status" : "failed", "n": 1.0e+2, "list": [ ] , "u": "\u00e9" }"#),
                causedBy: EntityRef(type: .execution, id: "ex-0"), hook: "github", timer: "nightly")),
        .ruleEnforcement(RuleEnforcement(id: "re-1", ruleID: "r-9", ruleRef: "ci.on_push", triggerInstanceID: "ti-1")),
        .ruleEnforcement(
            RuleEnforcement(
                id: "re-2", ruleID: "r-9", ruleRef: "ci.on_push", triggerInstanceID: "ti-1", executionID: "ex-1",
                causedBy: EntityRef(type: .triggerInstance, id: "ti-1"))),
        .executionAttempt(ExecutionAttempt(id: "ex-1", action: "ci.build")),
        .executionAttempt(
            ExecutionAttempt(
                id: "ex-2", action: "node.train", runID: "run-1", attempt: 3, status: "failed", parent: "ex-1",
                rerunOf: "ex-0", input: RawJSON("[1, 2,3]"), output: RawJSON("false"), durationMs: 1500.25,
                failure: .ambiguous, failureMessage: "timed out\nafter 3 tries",
                causedBy: EntityRef(type: .rule, id: "re-2"))),
        .causationLink(
            CausationLink(entity: EntityRef(type: .execution, id: "ex-2"), causedBy: EntityRef(type: .rule, id: "re-1"))
        ),
        .flowEvent(FlowEvent(event: "DISPATCHER_WAKEUP", details: RawJSON("{}"))),
        .flowEvent(
            FlowEvent(event: "TASK_START", entityID: "task-1", node: "worker-3", details: RawJSON(#"{"a":[{}]}"#))),
    ]
    for source in TriggerSource.allCases {
        bodies.append(.triggerInstance(TriggerInstance(id: "ti-\(source)", trigger: "t", source: source)))
    }
    for failure in FailureClass.allCases {
        bodies.append(.executionAttempt(ExecutionAttempt(id: "ex", action: "a", failure: failure)))
    }
    let durations: [Double] = [
        0, 1, 1500, 0.25, 1e-7, 123_456_789.125, 1e300, 9_007_199_254_740_992, 9_007_199_254_740_994,
        .leastNonzeroMagnitude, .greatestFiniteMagnitude,
    ]
    for duration in durations {
        bodies.append(.executionAttempt(ExecutionAttempt(id: "ex", action: "a", durationMs: duration)))
    }
    for text in awkwardStrings where !text.isEmpty {
        bodies.append(.executionAttempt(ExecutionAttempt(id: text, action: text, status: text, failureMessage: text)))
        bodies.append(.traceStart(TraceStart(tag: text, origin: EntityRef(type: .rule, id: text))))
    }
    bodies.append(.traceStart(TraceStart(tag: "")))
    bodies.append(
        .executionAttempt(
            ExecutionAttempt(
                id: "00f067aa0ba902b7", action: "GET /", causedBy: EntityRef(type: .execution, id: "53995c3f42cd8ad8"),
                otlp: RawJSON(#"{"scopeSpans":[{"spans":[{"kind":2,"attributes":[{"key":"a","value":{}}]}]}]}"#))))
    return bodies.enumerated().map { index, body in
        Record(time: Timestamp(microseconds: at.microseconds + Int64(index)), traceID: traceID, body: body)
    }
}()

@Suite struct NativeEventWriterTests {
    @Test(arguments: sampleRecords)
    func roundTripsThroughTheParser(record: Record) throws {
        let writer = NativeEventWriter()
        let line = writer.line(for: record)
        #expect(!line.utf8.contains(0x0A) && !line.utf8.contains(0x0D))
        let event = try NativeEventParser().parse(line: line.utf8, lineNumber: 1)
        #expect(event == writer.event(for: record))
        #expect(event.body == record.body)
        #expect(event.time == record.time)
        #expect(event.trace?.id == record.traceID)
    }

    @Test func writesTheDocumentedShape() {
        let attempt = ExecutionAttempt(
            id: "ex-1", action: "ci.build", attempt: 1, status: "failed", durationMs: 1500, failure: .recoverable,
            failureMessage: "timeout", causedBy: EntityRef(type: .rule, id: "re-1"))
        let line = NativeEventWriter().line(for: Record(time: at, traceID: traceID, body: .executionAttempt(attempt)))
        let expected = """
            {"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004000Z",\
            "trace":{"id":"0af7651916cd43dd8448eb211c80319c"},"action":"ci.build","attempt":1,"status":"failed",\
            "duration_ms":1500,"failure":"RECOVERABLE","failure_message":"timeout","caused_by":{"type":"rule","id":"re-1"}}
            """
        #expect(line == expected)
        let start = Record(
            time: at, traceID: traceID,
            body: .traceStart(TraceStart(tag: "deploy-42", origin: EntityRef(type: .triggerInstance, id: "ti-1"))))
        let startLine = """
            {"type":"trace","id":"0af7651916cd43dd8448eb211c80319c","time":"2026-11-22T10:00:00.004000Z",\
            "tag":"deploy-42","origin":{"type":"trigger_instance","id":"ti-1"}}
            """
        #expect(NativeEventWriter().line(for: start) == startLine)
    }

    @Test func writesRawValuesVerbatim() {
        let payload = #"{ "b" : 1.0e+2,"a":[ -0.0 ,"\u00e9"] }"#
        let record = Record(
            time: at, traceID: traceID,
            body: .triggerInstance(TriggerInstance(id: "ti", trigger: "t", source: .api, payload: RawJSON(payload))))
        #expect(NativeEventWriter().line(for: record).contains(#","payload":"# + payload))
    }

    @Test func writesANullRawValueWhichReadsBackAsAbsent() throws {
        let record = Record(
            time: at, traceID: traceID,
            body: .executionAttempt(ExecutionAttempt(id: "ex", action: "a", output: RawJSON("null"))))
        let line = NativeEventWriter().line(for: record)
        #expect(line.hasSuffix(#","output":null}"#))
        let event = try NativeEventParser().parse(line: line.utf8, lineNumber: 1)
        #expect(event.body == .executionAttempt(ExecutionAttempt(id: "ex", action: "a")))
    }

    @Test func turnsLineBreaksBetweenTokensIntoSpaces() throws {
        let record = Record(
            time: at, traceID: traceID,
            body: .flowEvent(
                FlowEvent(event: "TASK_START", details: RawJSON("{\n  \"a\": 1,\r\n  \"b\": \"x\\ny\"\n}"))))
        let line = NativeEventWriter().line(for: record)
        #expect(line.contains(#""details":{   "a": 1,    "b": "x\ny" }"#))
        let event = try NativeEventParser().parse(line: line.utf8, lineNumber: 1)
        #expect(
            event.body == .flowEvent(FlowEvent(event: "TASK_START", details: RawJSON(#"{   "a": 1,    "b": "x\ny" }"#)))
        )
    }

    @Test(arguments: awkwardStrings)
    func escapesStringsSoTheyReadBack(text: String) throws {
        let event = NativeEvent(
            body: .executionAttempt(ExecutionAttempt(id: "ex", action: "a", status: text)),
            trace: TraceContext(tag: "t"))
        let line = NativeEventWriter().line(for: event)
        #expect(try NativeEventParser().parse(line: line.utf8, lineNumber: 1) == event)
    }

    @Test func escapesControlCharactersTheShortWayWhenThereIsOne() {
        let event = NativeEvent(
            body: .executionAttempt(ExecutionAttempt(id: "ex", action: "a\n\t\"\\\u{08}\u{0C}\r\u{1}")))
        #expect(NativeEventWriter().line(for: event).contains(#""action":"a\n\t\"\\\b\f\r\u0001""#))
    }

    @Test func writesEventsWithoutTimeOrTrace() throws {
        let event = NativeEvent(
            body: .causationLink(
                CausationLink(
                    entity: EntityRef(type: .execution, id: "e"), causedBy: EntityRef(type: .execution, id: "p"))))
        let line = NativeEventWriter().line(for: event)
        #expect(
            line
                == #"{"type":"causation_link","entity":{"type":"execution","id":"e"},"caused_by":{"type":"execution","id":"p"}}"#
        )
        #expect(try NativeEventParser().parse(line: line.utf8, lineNumber: 1) == event)
        let both = NativeEvent(body: event.body, trace: TraceContext(id: traceID, tag: "tag"))
        #expect(try NativeEventParser().parse(line: NativeEventWriter().line(for: both).utf8, lineNumber: 1) == both)
    }

    @Test func appendsNewlineTerminatedLinesToABuffer() throws {
        var buffer: [UInt8] = []
        let writer = NativeEventWriter()
        for record in sampleRecords { writer.append(record, to: &buffer) }
        let lines = buffer.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == sampleRecords.count + 1 && lines.last?.isEmpty == true)
        for (line, record) in zip(lines, sampleRecords) {
            #expect(try NativeEventParser().parse(line: line, lineNumber: 1) == writer.event(for: record))
            #expect(String(decoding: line, as: UTF8.self) == writer.line(for: record))
        }
    }
}

/// The `otlp` member of execution lines.
@Suite struct NativeOTLPMemberTests {
    @Test func anExecutionLineWithOTLPResolvesInTheOpenTelemetryMode() throws {
        let line =
            #"{"type":"execution","id":"00f067aa0ba902b7","action":"GET /","trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736","tag":"svc"},"otlp":{"scopeSpans":[]}}"#
        let event = try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1)
        #expect(event.mode == .openTelemetry)
        guard case .executionAttempt(let attempt) = event.body else { Issue.record("not an attempt"); return }
        #expect(attempt.otlp == RawJSON(#"{"scopeSpans":[]}"#))
        let plain = #"{"type":"execution","id":"x","action":"a"}"#
        #expect(try NativeEventParser().parse(line: Array(plain.utf8), lineNumber: 1).mode == .standard)
    }

    @Test(arguments: [
        (
            #"{"type":"execution","id":"x","action":"a","otlp":[1]}"#,
            #"line 1: field "otlp": expected an object, got [1]"#
        ),
        (
            #"{"type":"trigger_instance","id":"x","trigger":"t","otlp":{}}"#,
            #"line 1: field "otlp": not allowed in trigger_instance events"#
        ),
    ])
    func anOTLPMemberThatIsNotAnObjectOrNotOnAnExecutionIsRejected(line: String, message: String) {
        #expect {
            try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1)
        } throws: { error in
            "\(error)" == message
        }
    }
}
