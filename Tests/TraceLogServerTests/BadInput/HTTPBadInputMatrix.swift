import HTTPTypes

@testable import TraceLogServer

/// Every bad request tried on the ingest routes, and the cells that do not apply with the reason.
///
/// `POST /v1/events` bodies hold valid lines 1, 2 and 4 around the bad line 3 (or array element 3); a batch is
/// atomic, so nothing of it may be stored.
enum HTTPBadInputMatrix {
    /// Two traces, tagged A and B, one execution each.
    static let baseline = [
        #"{"type":"execution","id":"a1","time":"2026-01-01T00:00:00Z","action":"x","trace":{"tag":"A"}}"#,
        #"{"type":"execution","id":"b1","time":"2026-01-01T00:00:01Z","action":"x","trace":{"tag":"B"}}"#,
    ]

    /// The valid events around the bad one: one joins trace A, one starts trace V, one joins V.
    static let valid = [
        #"{"type":"execution","id":"v1","time":"2026-01-01T01:00:00Z","action":"ok","caused_by":{"type":"execution","id":"a1"}}"#,
        #"{"type":"trigger_instance","id":"v2","time":"2026-01-01T01:00:01Z","trigger":"t","trace":{"tag":"V"}}"#,
        #"{"type":"execution","id":"v3","time":"2026-01-01T01:00:02Z","action":"ok","caused_by":{"type":"trigger_instance","id":"v2"}}"#,
    ]

    /// The valid events as lines with `bad` as line 3, or as an array with `bad` as element 3.
    static func batch(_ bad: [UInt8], asArray: Bool) -> [UInt8] {
        let lines = [Array(valid[0].utf8), Array(valid[1].utf8), bad, Array(valid[2].utf8)]
        guard asArray else { return Array(lines.joined(separator: Array("\n".utf8))) + Array("\n".utf8) }
        return Array("[\n".utf8) + Array(lines.joined(separator: Array(",\n".utf8))) + Array("\n]".utf8)
    }

    /// `count` nested arrays.
    static func nested(_ count: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: "["), count: count) + [UInt8](repeating: UInt8(ascii: "]"), count: count)
    }

    /// 100 MB of `x`: far over the default body limit (8 MiB) and the 16 MiB line limit.
    static func pad() -> [UInt8] { [UInt8](repeating: UInt8(ascii: "x"), count: 100_000_000) }

    /// A bad native event line and what `errors` says about it (the same bytes as the CLI matrix's).
    struct BadEvent: Sendable {
        var inputClass: BadInputClass
        var bytes: @Sendable (TraceIDs) -> [UInt8]
        var error: @Sendable (TraceIDs) -> String
    }

    static let badEvents: [BadEvent] = [
        BadEvent(
            inputClass: .malformedJSON, bytes: { _ in Array(#"{"type":"execution","id":"m1","action":}"#.utf8) },
            error: { _ in "invalid JSON at byte 40: expected a value, got '}'" }),
        BadEvent(
            inputClass: .wrongFieldType,
            bytes: { _ in
                Array(
                    #"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z","action":"x","attempt":"two"}"#.utf8)
            },
            error: { _ in #"field "attempt": expected an integer ≥ 1, got "two""# }),
        BadEvent(
            inputClass: .missingField,
            bytes: { _ in Array(#"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z"}"#.utf8) },
            error: { _ in #"field "action": missing (required in execution events)"# }),
        BadEvent(
            inputClass: .unknownType, bytes: { _ in Array(#"{"type":"gizmo","id":"m1"}"#.utf8) },
            error: { _ in #"field "type": expected trigger_instance, rule_enforcement, execution, flow_event"# }),
        BadEvent(
            inputClass: .invalidUTF8,
            bytes: { _ in Array(#"{"type":"execution","id":"m1","action":"x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
            },
            error: { _ in "invalid JSON at byte 43: invalid UTF-8" }),
        BadEvent(
            inputClass: .deepNesting,
            bytes: { _ in
                Array(#"{"type":"trigger_instance","id":"m1","trigger":"t","payload":"#.utf8) + nested(100_000)
                    + Array("}".utf8)
            },
            error: { _ in "invalid JSON at byte 125: nesting deeper than 64 levels" }),
        BadEvent(
            inputClass: .unknownTraceID,
            bytes: { _ in
                Array(
                    #"{"type":"execution","id":"m1","time":"2026-01-01T01:00:00Z","action":"x","trace":{"id":"0123456789abcdef0123456789abcdef"}}"#
                        .utf8)
            },
            error: { _ in "trace 0123456789abcdef0123456789abcdef not found" }),
        // SPEC §2 rule 4: a1 is in trace A; a later attempt naming trace B is rejected.
        BadEvent(
            inputClass: .conflictingTraceID,
            bytes: { ids in
                Array(
                    #"{"type":"execution","id":"a1","time":"2026-01-01T01:00:00Z","action":"x","attempt":2,"trace":{"id":"\#(ids["B"] ?? "")"}}"#
                        .utf8)
            },
            error: { ids in "execution a1 already belongs to trace \(ids["A"] ?? ""), not \(ids["B"] ?? "")" }),
    ]

    static func eventCases(asArray: Bool) -> [HTTPBadInputCase] {
        badEvents.map { bad in
            HTTPBadInputCase(
                route: asArray ? .eventArray : .eventLines, inputClass: bad.inputClass,
                body: { batch(bad.bytes($0), asArray: asArray) }, error: "1 of 4 events rejected; nothing was stored",
                lineError: { (3, bad.error($0)) })
        }
    }

    static let cases: [HTTPBadInputCase] =
        eventCases(asArray: false) + eventCases(asArray: true) + [
            // The body limit applies before the body is split, so one 100 MB case covers both body shapes.
            HTTPBadInputCase(
                route: .eventLines, inputClass: .hugeBody,
                body: { _ in
                    batch(
                        Array(#"{"type":"trigger_instance","id":"m1","trigger":"t","payload":""#.utf8) + pad()
                            + Array(#""}"#.utf8), asArray: false)
                },
                status: .contentTooLarge, error: "request body larger than 8388608 bytes"),
            // An element that leaves its brackets open hides where the array's elements end: the request is named.
            HTTPBadInputCase(
                route: .eventArray, inputClass: .malformedJSON,
                body: { _ in batch(Array(#"{"type":"execution","id":"m1","action":"#.utf8), asArray: true) },
                error: "invalid JSON array: no closing bracket"),
        ] + webhookCases

    static let webhookCases: [HTTPBadInputCase] = [
        webhook(.malformedJSON, #"{"a":"#, "the body is not valid JSON"),
        // A webhook's body is free-form; the fields it has are the hook name and the tag header.
        HTTPBadInputCase(
            route: .webhook, inputClass: .wrongFieldType, uri: "/v1/webhooks/bad%20name",
            body: { _ in Array("{}".utf8) }, error: "webhook name bad%20name: expected 1 to 128 letters"),
        HTTPBadInputCase(
            route: .webhook, inputClass: .wrongFieldType, uri: "/v1/webhooks/github",
            headers: [.traceTag: String(repeating: "t", count: 1025)], body: { _ in Array("{}".utf8) },
            error: "St2-Trace-Tag longer than 1024 bytes"),
        webhook(.missingField, "", "empty body: a webhook body must be JSON"),
        HTTPBadInputCase(
            route: .webhook, inputClass: .invalidUTF8, uri: "/v1/webhooks/github",
            body: { _ in Array(#"{"a":"x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8) },
            error: "the body is not valid UTF-8"),
        HTTPBadInputCase(
            route: .webhook, inputClass: .deepNesting, uri: "/v1/webhooks/github", body: { _ in nested(100_000) },
            error: "the body nests deeper than 62 levels"),
        HTTPBadInputCase(
            route: .webhook, inputClass: .hugeBody, uri: "/v1/webhooks/github",
            body: { _ in Array(#"{"pad":""#.utf8) + pad() + Array(#""}"#.utf8) }, status: .contentTooLarge,
            error: "request body larger than 8388608 bytes"),
    ]

    private static func webhook(_ inputClass: BadInputClass, _ body: String, _ error: String) -> HTTPBadInputCase {
        HTTPBadInputCase(
            route: .webhook, inputClass: inputClass, uri: "/v1/webhooks/github", body: { _ in Array(body.utf8) },
            error: error)
    }

    /// The cells that have no case, and why.
    static let notApplicable: [IngestRoute: [BadInputClass: String]] = [
        .eventArray: [.hugeBody: "the body limit applies before the body is split: the JSON lines case covers it"],
        .webhook: [
            .unknownType: "a webhook body is free-form JSON, stored as the payload of a webhook trigger instance",
            .unknownTraceID: "a webhook names no trace id: St2-Trace-Tag always starts a new trace",
            .conflictingTraceID: "a webhook's trigger instance id is generated, so it is never in another trace",
        ],
    ]
}
