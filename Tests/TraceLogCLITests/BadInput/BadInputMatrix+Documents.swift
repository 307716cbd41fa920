/// The bad inputs of the whole-document formats (Stroma, StackStorm): element 0 valid, element 1 bad, element 2
/// valid, one element per line of the file (so `[` is line 1 and element 1 is line 3).
///
/// An element that cannot be converted rejects the whole document in both modes (README: nothing of the document
/// is written); an element that trace resolution rejects is rejected alone. The 100 MB case runs once per format:
/// it is a conversion error like the others, whose semantics do not depend on `--stop-on-error`, and parsing 100 MB
/// takes seconds in a debug build.
extension BadInputMatrix {
    // MARK: Stroma

    /// One attempt of Stroma's `to_json()`, with `input_state` and `failure` replaceable.
    static func stromaElement(
        run: String, node: String, second: Int, attempt: String = "1", input: String = "{}", failure: String = "null"
    ) -> String {
        #"{"node_id": "\#(node)", "run_id": "\#(run)", "attempt": \#(attempt), "timestamp_utc": "2026-01-01T01:00:0\#(second)+00:00", "input_state": \#(input), "output_state": null, "duration_ms": 1.5, "failure": \#(failure), "failure_message": null}"#
    }

    /// Run x, nodes a and y.z, in the trace tagged run-x.
    static let stromaBaseline =
        "[\(stromaElement(run: "x", node: "a", second: 0)), \(stromaElement(run: "x", node: "y.z", second: 1))]\n"

    static func stromaElements(_ bad: InputPiece) -> [InputPiece] {
        [
            .valid(stromaElement(run: "r1", node: "n1", second: 2)), bad,
            .valid(stromaElement(run: "r1", node: "n2", second: 3)),
        ]
    }

    /// The text of a bad element up to `input_state`'s value, and after it.
    static let stromaHead =
        #"{"node_id": "b", "run_id": "r9", "attempt": 1, "timestamp_utc": "2026-01-01T01:00:05+00:00", "input_state": "#
    static let stromaTail = #", "output_state": null, "duration_ms": 1, "failure": null, "failure_message": null}"#

    // A Stroma document names no trace (a run is the trace tagged run-<run_id>): no unknown-trace-id case.
    static let stromaCases: [BadInputCase] = [
        stroma(.malformedJSON, .bad(.text(#"{"node_id": "b", "run_id": }"#))) {
            "input: line 3, column 28: invalid JSON: expected a value, got '}'"
        },
        stroma(.wrongFieldType, .valid(stromaElement(run: "r9", node: "b", second: 5, attempt: #""two""#))) {
            #"element 1: field "attempt": expected an integer in 1...4294967295, got "two""#
        },
        stroma(.missingField, .bad(.text(#"{"run_id": "r9"}"#))) { #"element 1: field "node_id": missing"# },
        // Stroma has no type field; its one enumerated kind is the failure class.
        stroma(.unknownType, .valid(stromaElement(run: "r9", node: "b", second: 5, failure: #""CATASTROPHIC""#))) {
            #"element 1: field "failure": expected RECOVERABLE, TERMINAL, AMBIGUOUS or null, got "CATASTROPHIC""#
        },
        stroma(.invalidUTF8, .bad(.text(#"{"node_id": "b"#), .bytes([0xC3, 0x28]), .text(#""}"#))) {
            "input: line 3, column 13: invalid JSON: invalid UTF-8 in a string"
        },
        stroma(
            .deepNesting,
            InputPiece(parts: [.text(stromaHead)] + nestedArrays(100_000) + [.text(stromaTail)], isBad: true)
        ) {
            "input: line 3, column 172: invalid JSON: nesting deeper than 65 levels"
        },
        stroma(
            .hugeLine,
            .bad(
                .text(stromaHead + #"{"pad": ""#), .repeated(UInt8(ascii: "x"), count: hugeLength),
                .text(#""}"# + stromaTail))
        ) { "element 1: longer than the limit of 16777216 bytes" },
    ]

    private static func stroma(
        _ inputClass: InputClass, _ bad: InputPiece, message: @escaping @Sendable () -> String
    ) -> BadInputCase {
        var piece = bad
        piece.isBad = true
        return BadInputCase(
            format: .stroma, inputClass: inputClass, pieces: { [piece] _ in stromaElements(piece) },
            message: { _ in message() }, rejection: .wholeDocument)
    }

    // MARK: StackStorm

    static let st2TraceA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let st2TraceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    /// Trace A (a 32-hex id, kept) with execution eA.
    static let st2Baseline = """
        [{"id": "\(st2TraceA)", "trace_tag": "stA", "start_timestamp": "2026-01-01T00:00:00Z", "action_executions": [{"object_id": "eA", "ref": "core.local", "updated_at": "2026-01-01T00:00:00Z", "caused_by": {}}]}]

        """

    /// A trace object with one trigger instance.
    static func st2Trace(tag: String, instance: String, id: String? = nil) -> String {
        let idMember = id.map { #""id": "\#($0)", "# } ?? ""
        return
            #"{\#(idMember)"trace_tag": "\#(tag)", "start_timestamp": "2026-01-01T01:00:00Z", "trigger_instances": [{"object_id": "\#(instance)", "ref": "core.st2.webhook", "updated_at": "2026-01-01T01:00:01Z", "caused_by": {}}]}"#
    }

    static func st2Elements(_ bad: InputPiece) -> [InputPiece] {
        [.valid(st2Trace(tag: "v1", instance: "tiV1")), bad, .valid(st2Trace(tag: "v3", instance: "tiV3"))]
    }

    static let st2Head = #"{"trace_tag": ""#
    static let st2Tail = #"", "start_timestamp": "2026-01-01T01:00:00Z"}"#

    // A StackStorm trace object creates the trace it names, so a trace id is never "unknown"; naming one that
    // exists is the second conflicting case.
    static let st2Cases: [BadInputCase] = [
        st2(.malformedJSON, .bad(.text(#"{"trace_tag": "m", "start_timestamp": }"#))) {
            "input: line 3, column 39: invalid JSON: expected a value, got '}'"
        },
        st2(.wrongFieldType, .bad(.text(#"{"trace_tag": 5, "start_timestamp": "2026-01-01T01:00:00Z"}"#))) {
            #"element 1: field "trace_tag": expected a string, got a number"#
        },
        st2(.missingField, .bad(.text(#"{"start_timestamp": "2026-01-01T01:00:00Z"}"#))) {
            #"element 1: field "trace_tag": missing"#
        },
        // StackStorm traces have no type field; the kind they enumerate is the cause type.
        st2(
            .unknownType,
            .bad(
                .text(
                    #"{"trace_tag": "m", "start_timestamp": "2026-01-01T01:00:00Z", "action_executions": [{"object_id": "e9", "caused_by": {"type": "widget", "id": "w"}}]}"#
                ))
        ) {
            #"element 1: field "action_executions[0].caused_by.type": expected trigger_instance, rule or action_execution, got "widget""#
        },
        st2(.invalidUTF8, .bad(.text(st2Head + "m"), .bytes([0xC3, 0x28]), .text(st2Tail))) {
            "input: line 3, column 15: invalid JSON: invalid UTF-8 in a string"
        },
        st2(
            .deepNesting,
            InputPiece(
                parts: [.text(#"{"trace_tag": "m", "start_timestamp": "2026-01-01T01:00:00Z", "rules": "#)]
                    + nestedArrays(100_000) + [.text("}")], isBad: true)
        ) { "input: line 3, column 326: invalid JSON: nesting deeper than 256 levels" },
        st2(.hugeLine, .bad(.text(st2Head), .repeated(UInt8(ascii: "x"), count: hugeLength), .text(st2Tail))) {
            "element 1: longer than the limit of 16777216 bytes"
        },
        // Execution eA is in trace A; a trace object B listing it is rejected, its trace start included.
        BadInputCase(
            format: .st2, inputClass: .conflictingTraceID,
            pieces: { _ in
                st2Elements(
                    .bad(
                        .text(
                            #"{"id": "\#(st2TraceB)", "trace_tag": "stB", "start_timestamp": "2026-01-01T01:00:00Z", "action_executions": [{"object_id": "eA", "ref": "core.local", "caused_by": {}}]}"#
                        )))
            },
            message: { _ in "element 1: execution eA already belongs to trace \(st2TraceA), not \(st2TraceB)" },
            rejection: .itself(events: 2)),
        // Trace A again (say, the same st2 trace exported twice): its id exists, so it is rejected.
        BadInputCase(
            format: .st2, inputClass: .conflictingTraceID,
            pieces: { _ in st2Elements(.bad(.text(st2Trace(tag: "stA-again", instance: "tiX", id: st2TraceA)))) },
            message: { _ in "element 1: trace \(st2TraceA) already exists" }, rejection: .itself(events: 2)),
    ]

    private static func st2(
        _ inputClass: InputClass, _ bad: InputPiece, message: @escaping @Sendable () -> String
    ) -> BadInputCase {
        var piece = bad
        piece.isBad = true
        return BadInputCase(
            format: .st2, inputClass: inputClass, pieces: { [piece] _ in st2Elements(piece) },
            message: { _ in message() }, rejection: .wholeDocument)
    }
}
