/// The bad inputs of the line-based formats (native, Selinon): lines 1 and 2 valid, line 3 bad, line 4 valid.
extension BadInputMatrix {
    // MARK: native

    /// Two traces, tagged A and B, one execution each.
    static let nativeBaseline = """
        {"type":"execution","id":"a1","time":"2026-01-01T00:00:00Z","action":"x","trace":{"tag":"A"}}
        {"type":"execution","id":"b1","time":"2026-01-01T00:00:01Z","action":"x","trace":{"tag":"B"}}

        """

    /// Valid lines around the bad line 3: one joins trace A, one starts trace V, one (line 4) joins V.
    static func nativeLines(_ bad: InputPiece) -> [InputPiece] {
        [
            .valid(
                #"{"type":"execution","id":"v1","time":"2026-01-01T01:00:00Z","action":"ok","caused_by":{"type":"execution","id":"a1"}}"#
            ),
            .valid(
                #"{"type":"trigger_instance","id":"v2","time":"2026-01-01T01:00:01Z","trigger":"t","trace":{"tag":"V"}}"#
            ),
            bad,
            .valid(
                #"{"type":"execution","id":"v3","time":"2026-01-01T01:00:02Z","action":"ok","caused_by":{"type":"trigger_instance","id":"v2"}}"#
            ),
        ]
    }

    static let nativeCases: [BadInputCase] = [
        native(.malformedJSON, .bad(.text(#"{"type":"execution","id":"m1","action":"#))) { _ in
            "line 3: invalid JSON at byte 40: expected a value, got the end of the input"
        },
        native(
            .wrongFieldType,
            .bad(.text(#"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z","action":"x","attempt":"two"}"#))
        ) { _ in #"line 3: field "attempt": expected an integer ≥ 1, got "two""# },
        native(.missingField, .bad(.text(#"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z"}"#))) { _ in
            #"line 3: field "action": missing (required in execution events)"#
        },
        native(.unknownType, .bad(.text(#"{"type":"gizmo","id":"m1","time":"2026-01-01T01:00:00Z"}"#))) { _ in
            #"line 3: field "type": expected trigger_instance, rule_enforcement, execution, flow_event, trace or causation_link, got "gizmo""#
        },
        native(
            .invalidUTF8,
            .bad(
                .text(#"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z","action":"x"#),
                .bytes([0xC3, 0x28]),
                .text(#""}"#))
        ) { _ in "line 3: invalid JSON at byte 73: invalid UTF-8" },
        native(
            .deepNesting,
            InputPiece(
                parts: [.text(#"{"type":"trigger_instance","id":"m1","trigger":"t","payload":"#)]
                    + nestedArrays(100_000)
                    + [.text("}")], isBad: true)
        ) { _ in "line 3: invalid JSON at byte 125: nesting deeper than 64 levels" },
        native(
            .hugeLine,
            .bad(
                .text(#"{"type":"trigger_instance","id":"m1","trigger":"t","payload":{"pad":""#),
                .repeated(UInt8(ascii: "x"), count: hugeLength), .text(#""}}"#))
        ) { _ in "line 3: longer than the limit of 16777216 bytes" },
        native(
            .unknownTraceID,
            .bad(
                .text(
                    #"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z","action":"x","trace":{"id":"0123456789abcdef0123456789abcdef"}}"#
                ))
        ) { _ in "line 3: trace 0123456789abcdef0123456789abcdef not found" },
        // SPEC §2 rule 4: a1 is in trace A; a later attempt naming trace B is rejected.
        BadInputCase(
            format: .native, inputClass: .conflictingTraceID,
            pieces: { baseline in
                nativeLines(
                    .bad(
                        .text(
                            #"{"type":"execution","id":"a1","time":"2026-01-01T01:00:00Z","action":"x","attempt":2,"trace":{"id":"\#(baseline.traceID("B"))"}}"#
                        )))
            },
            message: { "line 3: execution a1 already belongs to trace \($0.traceID("A")), not \($0.traceID("B"))" }),
    ]

    private static func native(
        _ inputClass: InputClass, _ bad: InputPiece, message: @escaping @Sendable (Baseline) -> String
    ) -> BadInputCase {
        BadInputCase(format: .native, inputClass: inputClass, pieces: { _ in nativeLines(bad) }, message: message)
    }

    // MARK: Selinon

    /// Two top-level flows, dA (trace tagged flowA) and dB (flowB).
    static let selinonBaseline = """
        {"details":{"dispatcher_id":"dA","flow_name":"flowA","node_args":{}},"event":"FLOW_START","node":"h","time":"2026-01-01 00:00:00"}
        {"details":{"dispatcher_id":"dB","flow_name":"flowB","node_args":{}},"event":"FLOW_START","node":"h","time":"2026-01-01 00:00:01"}

        """

    /// Valid lines around the bad line 3: flow dV starts, schedules task tV, and (line 4) starts it.
    static func selinonLines(_ bad: InputPiece) -> [InputPiece] {
        [
            .valid(
                #"{"details":{"dispatcher_id":"dV","flow_name":"flowV","node_args":{}},"event":"FLOW_START","node":"h","time":"2026-01-01 01:00:00"}"#
            ),
            .valid(
                #"{"details":{"dispatcher_id":"dV","flow_name":"flowV","task_id":"tV","task_name":"T"},"event":"TASK_SCHEDULE","node":"h","time":"2026-01-01 01:00:01"}"#
            ),
            bad,
            .valid(
                #"{"details":{"dispatcher_id":"dV","flow_name":"flowV","task_id":"tV","task_name":"T"},"event":"TASK_START","node":"h","time":"2026-01-01 01:00:02"}"#
            ),
        ]
    }

    // Selinon lines carry no trace id (flows map to traces by dispatcher id): no unknown-trace-id case.
    static let selinonCases: [BadInputCase] = [
        selinon(.malformedJSON, .bad(.text(#"{"details":{"dispatcher_id":"dM"},"event":"FLOW_START","#))) { _ in
            "line 3: invalid JSON at byte 56: expected a string key, got the end of the input"
        },
        selinon(
            .wrongFieldType,
            .bad(.text(#"{"details":"dM","event":"FLOW_START","node":"h","time":"2026-01-01 01:00:00"}"#))
        ) { _ in #"line 3: field "details": expected an object, got a string"# },
        selinon(.missingField, .bad(.text(#"{"details":{"dispatcher_id":"dM"},"event":"FLOW_START","node":"h"}"#))) {
            _ in #"line 3: field "time": missing"#
        },
        selinon(
            .unknownType,
            .bad(
                .text(
                    #"{"details":{"dispatcher_id":"dM"},"event":"FLOW_EXPLODED","node":"h","time":"2026-01-01 01:00:00"}"#
                ))
        ) { _ in #"line 3: field "event": unknown Selinon event "FLOW_EXPLODED""# },
        selinon(
            .invalidUTF8,
            .bad(
                .text(#"{"details":{"dispatcher_id":"dM","flow_name":"f"#), .bytes([0xC3, 0x28]),
                .text(#""},"event":"FLOW_START","node":"h","time":"2026-01-01 01:00:00"}"#))
        ) { _ in "line 3: invalid JSON at byte 46: invalid UTF-8 in a string" },
        selinon(
            .deepNesting,
            InputPiece(
                parts: [.text(#"{"details":{"dispatcher_id":"dM","x":"#)] + nestedArrays(100_000)
                    + [.text(#"},"event":"FLOW_START","node":"h","time":"2026-01-01 01:00:00"}"#)], isBad: true)
        ) { _ in "line 3: invalid JSON at byte 100: nesting deeper than 64 levels" },
        selinon(
            .hugeLine,
            .bad(
                .text(#"{"details":{"dispatcher_id":"dM","pad":""#), .repeated(UInt8(ascii: "x"), count: hugeLength),
                .text(#""},"event":"FLOW_START","node":"h","time":"2026-01-01 01:00:00"}"#))
        ) { _ in "line 3: longer than the limit of 16777216 bytes" },
        // dA is a top-level flow of trace A; a line scheduling it as a sub-flow of dB (trace B) is rejected, all
        // three of its events (dB's record, dA's, the flow event).
        BadInputCase(
            format: .selinon, inputClass: .conflictingTraceID,
            pieces: { _ in
                selinonLines(
                    .bad(
                        .text(
                            #"{"details":{"dispatcher_id":"dB","flow_name":"flowB","child_dispatcher_id":"dA","child_flow_name":"flowA"},"event":"SUBFLOW_SCHEDULE","node":"h","time":"2026-01-01 01:00:00"}"#
                        )))
            },
            message: {
                "line 3: execution dA already belongs to trace \($0.traceID("flowA")), not \($0.traceID("flowB"))"
            },
            rejection: .itself(events: 3)),
    ]

    private static func selinon(
        _ inputClass: InputClass, _ bad: InputPiece, message: @escaping @Sendable (Baseline) -> String
    ) -> BadInputCase {
        BadInputCase(format: .selinon, inputClass: inputClass, pieces: { _ in selinonLines(bad) }, message: message)
    }
}
