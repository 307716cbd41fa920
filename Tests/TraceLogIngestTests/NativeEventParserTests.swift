import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogIngest

/// Parses one line with a default parser.
func parseLine(_ text: String, lineNumber: Int = 1) throws(NativeEventError) -> NativeEvent {
    try NativeEventParser().parse(line: Array(text.utf8), lineNumber: lineNumber)
}

/// A timestamp from RFC 3339 text (test data is always valid).
func time(_ text: String) -> Timestamp {
    Timestamp(rfc3339: text)!
}

let sampleTraceID = TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!

@Suite struct NativeEventParserTests {
    @Test func parsesTheFormatDocumentsExamples() throws {
        let first = try parseLine(
            #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"core.st2.webhook","#
                + #""source":"webhook","hook":"github","payload":{"ref":"main"},"trace":{"tag":"deploy-42"}}"#)
        let instance = TriggerInstance(
            id: "ti-1", trigger: "core.st2.webhook", source: .webhook, payload: RawJSON(#"{"ref":"main"}"#),
            hook: "github")
        #expect(
            first
                == NativeEvent(
                    body: .triggerInstance(instance), time: time("2026-11-22T10:00:00Z"),
                    trace: TraceContext(tag: "deploy-42")))

        let second = try parseLine(
            #"{"type":"rule_enforcement","id":"re-1","time":"2026-11-22T10:00:00.002Z","#
                + #""rule":{"id":"r-9","ref":"ci.on_push"},"trigger_instance":"ti-1","execution":"ex-1","#
                + #""caused_by":{"type":"trigger_instance","id":"ti-1"}}"#)
        let enforcement = RuleEnforcement(
            id: "re-1", ruleID: "r-9", ruleRef: "ci.on_push", triggerInstanceID: "ti-1", executionID: "ex-1",
            causedBy: EntityRef(type: .triggerInstance, id: "ti-1"))
        #expect(second == NativeEvent(body: .ruleEnforcement(enforcement), time: time("2026-11-22T10:00:00.002Z")))

        let third = try parseLine(
            #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004Z","action":"ci.build","attempt":1,"#
                + #""status":"failed","failure":"RECOVERABLE","failure_message":"timeout","duration_ms":1500,"#
                + #""caused_by":{"type":"rule","id":"re-1"}}"#)
        let attempt = ExecutionAttempt(
            id: "ex-1", action: "ci.build", attempt: 1, status: "failed", durationMs: 1500, failure: .recoverable,
            failureMessage: "timeout", causedBy: EntityRef(type: .rule, id: "re-1"))
        #expect(third == NativeEvent(body: .executionAttempt(attempt), time: time("2026-11-22T10:00:00.004Z")))
    }

    @Test func appliesTheDocumentedDefaults() throws {
        let instance = try parseLine(#"{"type":"trigger_instance","id":"ti","trigger":"core.t"}"#)
        #expect(
            instance
                == NativeEvent(body: .triggerInstance(TriggerInstance(id: "ti", trigger: "core.t", source: .sensor))))
        guard case .triggerInstance(let body) = instance.body else { Issue.record("wrong body"); return }
        #expect(body.payload == .emptyObject)
        let execution = try parseLine(#"{"type":"execution","id":"ex","action":"a"}"#)
        #expect(execution == NativeEvent(body: .executionAttempt(ExecutionAttempt(id: "ex", action: "a", attempt: 1))))
        #expect(execution.time == nil && execution.trace == nil)
    }

    @Test func readsEveryTriggerInstanceField() throws {
        let line = """
            {"type":"trigger_instance","id":"ti-7","time":"2026-11-22T12:00:00.5+02:00","trigger":"core.st2.CronTimer",\
            "source":"timer","hook":"h","timer":"nightly","payload":[1,2],"caused_by":{"type":"execution","id":"ex-0"},\
            "trace":{"id":"0af7651916cd43dd8448eb211c80319c","tag":"t"}}
            """
        let expected = TriggerInstance(
            id: "ti-7", trigger: "core.st2.CronTimer", source: .timer, payload: RawJSON("[1,2]"),
            causedBy: EntityRef(type: .execution, id: "ex-0"), hook: "h", timer: "nightly")
        let event = try parseLine(line)
        #expect(event.body == .triggerInstance(expected))
        #expect(event.time == time("2026-11-22T10:00:00.500000Z"))
        #expect(event.trace == TraceContext(id: sampleTraceID, tag: "t"))
    }

    @Test(arguments: TriggerSource.allCases)
    func readsEverySource(source: TriggerSource) throws {
        let event = try parseLine(#"{"type":"trigger_instance","id":"t","trigger":"x","source":"\#(source.name)"}"#)
        #expect(event.body == .triggerInstance(TriggerInstance(id: "t", trigger: "x", source: source)))
    }

    @Test(arguments: FailureClass.allCases)
    func readsEveryFailureClass(failure: FailureClass) throws {
        let event = try parseLine(#"{"type":"execution","id":"e","action":"a","failure":"\#(failure.name)"}"#)
        #expect(event.body == .executionAttempt(ExecutionAttempt(id: "e", action: "a", failure: failure)))
    }

    @Test func readsEveryExecutionField() throws {
        let line = """
            {"caused_by":{"id":"re-1","type":"rule"},"type":"execution","id":"ex-2","action":"node.train",\
            "run_id":"run-9","attempt":4294967295,"status":"succeeded","parent":"ex-1","rerun_of":"ex-0",\
            "input":{"lr": 0.1, "layers": [64, 32]},"output":"done","duration_ms":0.25,"failure":null,\
            "failure_message":null}
            """
        let expected = ExecutionAttempt(
            id: "ex-2", action: "node.train", runID: "run-9", attempt: UInt32.max, status: "succeeded",
            parent: "ex-1", rerunOf: "ex-0", input: RawJSON(#"{"lr": 0.1, "layers": [64, 32]}"#),
            output: RawJSON(#""done""#), durationMs: 0.25, causedBy: EntityRef(type: .rule, id: "re-1"))
        #expect(try parseLine(line).body == .executionAttempt(expected))
    }

    @Test func readsFlowEventsTraceStartsAndCausationLinks() throws {
        let flow = try parseLine(
            #"{"type":"flow_event","event":"TASK_START","id":"task-1","node":"worker-3","details":{"a": 1}}"#)
        #expect(
            flow.body
                == .flowEvent(
                    FlowEvent(event: "TASK_START", entityID: "task-1", node: "worker-3", details: RawJSON(#"{"a": 1}"#))
                ))
        let bare = try parseLine(#"{"type":"flow_event","event":"DISPATCHER_WAKEUP","details":{}}"#)
        #expect(bare.body == .flowEvent(FlowEvent(event: "DISPATCHER_WAKEUP", details: RawJSON("{}"))))

        let trace = try parseLine(
            #"{"type":"trace","id":"0af7651916cd43dd8448eb211c80319c","tag":"deploy-42","#
                + #""origin":{"type":"trigger_instance","id":"ti-1"},"time":"2026-11-22T10:00:00Z"}"#)
        let start = TraceStart(tag: "deploy-42", origin: EntityRef(type: .triggerInstance, id: "ti-1"))
        #expect(
            trace
                == NativeEvent(
                    body: .traceStart(start), time: time("2026-11-22T10:00:00Z"), trace: TraceContext(id: sampleTraceID)
                ))

        let link = try parseLine(
            #"{"type":"causation_link","entity":{"type":"execution","id":"ex-5"},"caused_by":{"type":"rule","id":"re-5"},"#
                + #""trace":{"id":"0af7651916cd43dd8448eb211c80319c"}}"#)
        let expectedLink = CausationLink(
            entity: EntityRef(type: .execution, id: "ex-5"), causedBy: EntityRef(type: .rule, id: "re-5"))
        #expect(link == NativeEvent(body: .causationLink(expectedLink), trace: TraceContext(id: sampleTraceID)))
    }

    @Test func treatsNullAsAbsent() throws {
        let line = """
            {"type":"trigger_instance","id":"ti","trigger":"x","time":null,"trace":null,"caused_by":null,\
            "payload":null,"source":null,"hook":null,"timer":null,"attempt":null,"details":null}
            """
        #expect(
            try parseLine(line)
                == NativeEvent(body: .triggerInstance(TriggerInstance(id: "ti", trigger: "x", source: .sensor))))
        let nested = #"{"type":"execution","id":"e","action":"a","trace":{"id":null,"tag":"t"}}"#
        #expect(try parseLine(nested).trace == TraceContext(tag: "t"))
    }

    @Test func keepsRawValuesByteForByte() throws {
        let payload = #"{ "b" : 1.0e+2,"a":[ -0.0 , 1E-7 ,"\u00e9 é"] ,"z" :{}}"#
        let line = #"{"type":"trigger_instance","id":"ti","trigger":"x","payload":   "# + payload + "   }"
        guard case .triggerInstance(let instance) = try parseLine(line).body else { Issue.record("wrong body"); return }
        #expect(instance.payload.text == payload)
        for raw in ["1.0e+2", "\"text\"", "[]", "null", "true", "-0", #"{"deep":[[[{"x":"\ud83d\ude80"}]]]}"#] {
            let execution = #"{"type":"execution","id":"e","action":"a","output":"# + raw + "}"
            guard case .executionAttempt(let attempt) = try parseLine(execution).body else { continue }
            #expect(attempt.output == (raw == "null" ? nil : RawJSON(raw)))
        }
    }

    @Test func decodesStringsWithEscapesAndKeysWithEscapes() throws {
        let line = #"{"\u0074ype":"execution","id":"ex\n\"1\"","action":"caf\u00e9 \ud83d\ude80","status":"日本"}"#
        let expected = ExecutionAttempt(id: "ex\n\"1\"", action: "café 🚀", status: "日本")
        #expect(try parseLine(line).body == .executionAttempt(expected))
    }

    @Test func reportsTheLineNumberItWasGiven() {
        #expect(throws: NativeEventError(line: 42, field: "type", reason: "missing (required)")) {
            try parseLine(#"{"id":"x"}"#, lineNumber: 42)
        }
    }

    @Test func acceptsAnyCollectionOfBytes() throws {
        let text = #"  {"type":"execution","id":"e","action":"a"}  "#
        let expected = try parseLine(text)
        let parser = NativeEventParser()
        #expect(try parser.parse(line: text.utf8, lineNumber: 1) == expected)
        #expect(try parser.parse(line: Array(text.utf8)[...], lineNumber: 1) == expected)
        #expect(try parser.parse(line: text.utf8.lazy.map { $0 }, lineNumber: 1) == expected)
        let padded = Array(("xx" + text + "yy").utf8)
        #expect(try parser.parse(line: padded[2..<(padded.count - 2)], lineNumber: 1) == expected)
    }

    @Test func matchesEveryKeyByItsName() {
        for key in NativeKey.allCases {
            var name = key.name.description
            #expect(name.withUTF8 { NativeKey.match(UnsafeRawBufferPointer($0)) } == key)
            name += "x"
            #expect(name.withUTF8 { NativeKey.match(UnsafeRawBufferPointer($0)) } == nil)
        }
        for type in NativeEventType.allCases {
            var name = type.name.description
            #expect(name.withUTF8 { NativeEventType.match(UnsafeRawBufferPointer($0)) } == type)
        }
    }
}
