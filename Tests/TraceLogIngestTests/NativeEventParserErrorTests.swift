import Testing
import TraceLogStorage

@testable import TraceLogIngest

/// The error a line is rejected with (line number 7), or nil if it parses.
private func rejection(_ text: String) -> NativeEventError? {
    rejection(Array(text.utf8))
}

private func rejection(_ bytes: [UInt8]) -> NativeEventError? {
    do {
        _ = try NativeEventParser().parse(line: bytes, lineNumber: 7)
        return nil
    } catch {
        return error
    }
}

private let execution = #"{"type":"execution","id":"ex-1","action":"a","#
private let validTraceID = "0af7651916cd43dd8448eb211c80319c"

@Suite struct NativeEventParserErrorTests {
    /// (line, field, reason) for every class of shape and value error.
    static let fieldErrors: [(String, String, String)] = [
        (execution + #""attempt":"two"}"#, "attempt", #"expected an integer ≥ 1, got "two""#),
        (execution + #""attempt":0}"#, "attempt", "expected an integer ≥ 1, got 0"),
        (execution + #""attempt":-1}"#, "attempt", "expected an integer ≥ 1, got -1"),
        (execution + #""attempt":1.5}"#, "attempt", "expected an integer ≥ 1, got 1.5"),
        (execution + #""attempt":1.0}"#, "attempt", "expected an integer ≥ 1, got 1.0"),
        (execution + #""attempt":1e0}"#, "attempt", "expected an integer ≥ 1, got 1e0"),
        (execution + #""attempt":true}"#, "attempt", "expected an integer ≥ 1, got true"),
        (execution + #""attempt":4294967296}"#, "attempt", "expected an integer ≤ 4294967295, got 4294967296"),
        (
            execution + #""attempt":99999999999999999999999}"#, "attempt",
            "expected an integer ≤ 4294967295, got 99999999999999999999999"
        ),
        (execution + #""duration_ms":-1}"#, "duration_ms", "expected a number ≥ 0, got -1"),
        (execution + #""duration_ms":-0.5e1}"#, "duration_ms", "expected a number ≥ 0, got -0.5e1"),
        (execution + #""duration_ms":"5"}"#, "duration_ms", #"expected a number ≥ 0, got "5""#),
        (execution + #""duration_ms":1e400}"#, "duration_ms", "expected a finite number ≥ 0, got 1e400"),
        (#"{"id":"x"}"#, "type", "missing (required)"),
        (#"{"type":null,"id":"x"}"#, "type", "missing (required)"),
        (
            #"{"type":"foo","id":"x"}"#, "type",
            #"expected trigger_instance, rule_enforcement, execution, flow_event, trace or causation_link, got "foo""#
        ),
        (
            #"{"type":5}"#, "type",
            "expected trigger_instance, rule_enforcement, execution, flow_event, trace or causation_link, got 5"
        ),
        (execution + #""atempt":2}"#, "atempt", "unknown key"),
        (execution + #""Action":"b"}"#, "Action", "unknown key"),
        (execution + #""\u0061ttempt\u0021":2}"#, "attempt!", "unknown key"),
        (#"{"type":"execution","id":"e","id":"f","action":"a"}"#, "id", "duplicate key"),
        (#"{"type":"execution","id":null,"id":"f","action":"a"}"#, "id", "duplicate key"),
        (#"{"type":"execution","type":"execution","id":"e","action":"a"}"#, "type", "duplicate key"),
        (#"{"type":"trigger_instance","id":"ti"}"#, "trigger", "missing (required in trigger_instance events)"),
        (#"{"type":"trigger_instance","trigger":"t"}"#, "id", "missing (required in trigger_instance events)"),
        (
            #"{"type":"rule_enforcement","id":"re","rule":{"id":"r","ref":"p.r"}}"#, "trigger_instance",
            "missing (required in rule_enforcement events)"
        ),
        (#"{"type":"execution","id":"e","action":null}"#, "action", "missing (required in execution events)"),
        (#"{"type":"flow_event","event":"TASK_START"}"#, "details", "missing (required in flow_event events)"),
        (#"{"type":"trace","id":"\#(validTraceID)"}"#, "tag", "missing (required in trace events)"),
        (
            #"{"type":"causation_link","entity":{"type":"rule","id":"r"}}"#, "caused_by",
            "missing (required in causation_link events)"
        ),
        (execution + #""trigger":"t"}"#, "trigger", "not allowed in execution events"),
        (
            #"{"type":"flow_event","event":"E","details":{},"caused_by":{"type":"rule","id":"r"}}"#, "caused_by",
            "not allowed in flow_event events"
        ),
        (
            #"{"type":"trace","id":"\#(validTraceID)","tag":"t","trace":{"tag":"x"}}"#, "trace",
            "not allowed in trace events"
        ),
        (
            #"{"type":"causation_link","id":"x","entity":{"type":"rule","id":"r"},"caused_by":{"type":"rule","id":"q"}}"#,
            "id", "not allowed in causation_link events"
        ),
        (execution + #""status":1}"#, "status", "expected a string, got 1"),
        (#"{"type":"execution","id":42,"action":"a"}"#, "id", "expected a non-empty string, got 42"),
        (#"{"type":"execution","id":"","action":"a"}"#, "id", #"expected a non-empty string, got """#),
        (#"{"type":"execution","id":["e"],"action":"a"}"#, "id", #"expected a non-empty string, got ["e"]"#),
        (
            #"{"type":"trigger_instance","id":"t","trigger":"x","source":"email"}"#, "source",
            #"expected sensor, webhook, action_trigger, notify_trigger, timer or api, got "email""#
        ),
        (execution + #""failure":"fatal"}"#, "failure", #"expected RECOVERABLE, TERMINAL or AMBIGUOUS, got "fatal""#),
        (
            execution + #""failure":"recoverable"}"#, "failure",
            #"expected RECOVERABLE, TERMINAL or AMBIGUOUS, got "recoverable""#
        ),
        (
            execution + #""caused_by":{"type":"trace","id":"x"}}"#, "caused_by.type",
            #"expected trigger_instance, rule or execution, got "trace""#
        ),
        (execution + #""caused_by":{"id":"x"}}"#, "caused_by.type", "missing (required)"),
        (execution + #""caused_by":{"type":"rule"}}"#, "caused_by.id", "missing (required)"),
        (execution + #""caused_by":{"type":"rule","id":""}}"#, "caused_by.id", #"expected a non-empty string, got """#),
        (execution + #""caused_by":{"type":"rule","id":"r","extra":1}}"#, "caused_by.extra", "unknown key"),
        (execution + #""caused_by":{"type":"rule","type":"rule","id":"r"}}"#, "caused_by.type", "duplicate key"),
        (execution + #""caused_by":"re-1"}"#, "caused_by", #"expected an object, got "re-1""#),
        (
            #"{"type":"causation_link","entity":{"type":"rule"},"caused_by":{"type":"rule","id":"q"}}"#, "entity.id",
            "missing (required)"
        ),
        (
            #"{"type":"trace","id":"\#(validTraceID)","tag":"t","origin":{"type":"x","id":"y"}}"#, "origin.type",
            #"expected trigger_instance, rule or execution, got "x""#
        ),
        (
            #"{"type":"rule_enforcement","id":"re","rule":{"id":"r"},"trigger_instance":"ti"}"#, "rule.ref",
            "missing (required)"
        ),
        (
            #"{"type":"rule_enforcement","id":"re","rule":"r","trigger_instance":"ti"}"#, "rule",
            #"expected an object, got "r""#
        ),
        (
            execution + #""time":"yesterday"}"#, "time",
            #"expected an RFC 3339 time like 2026-11-22T10:00:00Z, got "yesterday""#
        ),
        (
            execution + #""time":"2026-02-30T00:00:00Z"}"#, "time",
            #"expected an RFC 3339 time like 2026-11-22T10:00:00Z, got "2026-02-30T00:00:00Z""#
        ),
        (
            execution + #""time":1700000000}"#, "time",
            "expected an RFC 3339 time like 2026-11-22T10:00:00Z, got 1700000000"
        ),
        (execution + #""trace":{"id":null,"tag":null}}"#, "trace", "trace context needs an id or a tag"),
        (execution + #""trace":{}}"#, "trace", "trace context needs an id or a tag"),
        (execution + #""trace":{"tag":""}}"#, "trace", "trace context needs an id or a tag"),
        (
            execution + #""trace":{"id":"ABC"}}"#, "trace.id",
            #"expected a trace id of 32 lowercase hex characters, not all zero, got "ABC""#
        ),
        (
            execution + #""trace":{"id":"0AF7651916CD43DD8448EB211C80319C"}}"#, "trace.id",
            #"expected a trace id of 32 lowercase hex characters, not all zero, got "0AF7651916CD43DD8448EB211C80319C""#
        ),
        (
            execution + #""trace":{"id":"00000000000000000000000000000000"}}"#, "trace.id",
            #"expected a trace id of 32 lowercase hex characters, not all zero, got "00000000000000000000000000000000""#
        ),
        (
            execution + #""trace":{"id":7}}"#, "trace.id",
            "expected a trace id of 32 lowercase hex characters, not all zero, got 7"
        ),
        (execution + #""trace":{"tag":"t","name":"x"}}"#, "trace.name", "unknown key"),
        (execution + #""trace":"deploy"}"#, "trace", #"expected an object, got "deploy""#),
        (
            #"{"type":"trace","id":"xyz","tag":"t"}"#, "id",
            #"expected a trace id of 32 lowercase hex characters, not all zero, got "xyz""#
        ),
        (#"{"type":"flow_event","event":"E","details":[1]}"#, "details", "expected an object, got [1]"),
        (
            #"{"type":"flow_event","event":"TASK_EXPLODED","details":{}}"#, "event",
            #"unknown Selinon event "TASK_EXPLODED""#
        ),
        (
            execution + #""status":["aaaaaaaaaa","bbbbbbbbbb","cccccccccc","dddddddddd"]}"#, "status",
            #"expected a string, got ["aaaaaaaaaa","bbbbbbbbbb","cccccccccc",…"#
        ),
        (execution + #""status":{"é":"日本語日本語日本語日本語"}}"#, "status", #"expected a string, got {"é":"日本語日本語日本語日本…"#),
    ]

    @Test(arguments: fieldErrors)
    func namesTheFieldAndTheReason(line: String, field: String, reason: String) {
        #expect(rejection(line) == NativeEventError(line: 7, field: field, reason: reason))
    }

    /// (line, reason) for errors about the line as a whole.
    static let lineErrors: [(String, String)] = [
        ("", "invalid JSON at byte 1: expected a value, got the end of the input"),
        ("   ", "invalid JSON at byte 4: expected a value, got the end of the input"),
        ("[1,2]", "expected a JSON object, got [1,2]"),
        (#""just a string""#, #"expected a JSON object, got "just a string""#),
        ("null", "expected a JSON object, got null"),
        (#"{"type":"execution","id":"ex-1"#, "invalid JSON at byte 26: unterminated string"),
        (execution + #""status":"ok"} x"#, "invalid JSON at byte 61: unexpected 'x' after the end of the value"),
        (execution + #""status":"ok"}{}"#, "invalid JSON at byte 60: unexpected '{' after the end of the value"),
        (execution + #""status":"ok",}"#, "invalid JSON at byte 60: expected a string key, got '}'"),
        (execution + #""status" "ok"}"#, "invalid JSON at byte 55: expected ':' after an object key, got '\"'"),
        (execution + #""attempt":01}"#, "invalid JSON at byte 56: leading zero in a number"),
        (execution + #""attempt":1.}"#, "invalid JSON at byte 58: expected a digit after '.' in a number"),
        (execution + #""status":"a\x"}"#, #"invalid JSON at byte 57: invalid escape sequence '\x'"#),
        (execution + #""status":"\uD800"}"#, #"invalid JSON at byte 56: lone surrogate \uD800"#),
        (execution + #""status":"\uDE00\uD800"}"#, #"invalid JSON at byte 56: lone surrogate \uDE00"#),
        (execution + #""status":"\u12"}"#, #"invalid JSON at byte 56: invalid \u escape (expected 4 hex digits)"#),
        (execution + "\"status\":\"a\tb\"}", "invalid JSON at byte 57: unescaped control character 0x09 in a string"),
        (execution + #""failure":nul}"#, "invalid JSON at byte 56: invalid literal (expected true, false or null)"),
        (execution + #""input":[1,2,]}"#, "invalid JSON at byte 59: expected a value, got ']'"),
        (execution + #""input":{"a" 1}}"#, "invalid JSON at byte 59: expected ':' after an object key, got '1'"),
        (#"{"type":"execution" "id":"e"}"#, "invalid JSON at byte 21: expected ',' or '}', got '\"'"),
        (#"{type:"execution"}"#, "invalid JSON at byte 2: expected a string key, got 't'"),
    ]

    @Test(arguments: lineErrors)
    func reportsInvalidJSONWithItsByte(line: String, reason: String) {
        #expect(rejection(line) == NativeEventError(line: 7, field: nil, reason: reason))
    }

    @Test func rejectsInvalidUTF8Anywhere() {
        let inValue = Array((execution + #""status":""#).utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(rejection(inValue)?.reason == "invalid JSON at byte 57: invalid UTF-8 byte 0x28")
        let inKey = Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)
        #expect(rejection(inKey)?.reason == "invalid JSON at byte 3: invalid UTF-8 byte 0xFF")
        let outside = Array(execution.utf8) + [0xE2, 0x80, 0x83] + Array(#""status":"x"}"#.utf8)
        #expect(rejection(outside)?.reason == "invalid JSON at byte 46: expected a string key, got byte 0xE2")
        let inPayload =
            Array(#"{"type":"trigger_instance","id":"t","trigger":"x","payload":{"a":""#.utf8) + [0xED, 0xA0, 0x80]
            + Array(#""}}"#.utf8)
        #expect(rejection(inPayload)?.reason == "invalid JSON at byte 68: invalid UTF-8 byte 0xA0")
    }

    @Test func rejectsADeeplyNestedPayloadWithoutRecursing() {
        let prefix = #"{"type":"trigger_instance","id":"t","trigger":"x","payload":"#
        let line = prefix + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}"
        let byte = prefix.utf8.count + 64  // The line is level 1, so the 64th `[` is level 65 (1-based byte).
        #expect(
            rejection(line)
                == NativeEventError(line: 7, reason: "invalid JSON at byte \(byte): nesting deeper than 64 levels"))
        let deepButAllowed = prefix + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(rejection(deepButAllowed) == nil)
        let lenient = NativeEventParser(maximumDepth: 2000)
        #expect(throws: Never.self) { try lenient.parse(line: Array(line.utf8), lineNumber: 1) }
    }

    @Test func describesErrorsForPeople() {
        let withField = NativeEventError(line: 7, field: "attempt", reason: #"expected an integer ≥ 1, got "two""#)
        #expect(withField.description == #"line 7: field "attempt": expected an integer ≥ 1, got "two""#)
        let withoutField = NativeEventError(line: 3, reason: "invalid JSON at byte 41: unterminated string")
        #expect(withoutField.description == "line 3: invalid JSON at byte 41: unterminated string")
    }
}
