import Testing
import TraceLog

/// `-y/--yaml` and `-a ATTR…` (st2 parity): YAML that reads back as the JSON value, and attribute selection.
@Suite struct YAMLTextTests {
    @Test func nestedValuesBecomeBlockYAML() {
        let value = JSONValue.object([
            ("total", .int(2)),
            (
                "traces",
                .array([
                    .object([("id", .string("a")), ("tag", .string("x: y")), ("caused_by", .null), ("n", .array([]))]),
                    .object([("payload", .raw("{\"k\":\n [1, 2]}")), ("ok", .bool(true))]),
                ])
            ),
        ])
        #expect(
            value.yaml() == """
                "total": 2
                "traces":
                  - "id": "a"
                    "tag": "x: y"
                    "caused_by": null
                    "n": []
                  - "payload": {"k":  [1, 2]}
                    "ok": true
                """)
        #expect(JSONValue.array([]).yaml() == "[]")
        #expect(JSONValue.string("plain").yaml() == #""plain""#)
    }

    @Test func attributesSelectMembersInTheOrderGiven() throws {
        let object = JSONValue.object([("id", .string("a")), ("tag", .string("t")), ("outcome", .string("failed"))])
        let available = ["id", "tag", "outcome", "engine"]
        #expect(
            try object.selecting(["outcome", "id"], available: available).serialized()
                == #"{"outcome":"failed","id":"a"}"#)
        #expect(try object.selecting(["all"], available: available) == object)
        #expect(try object.selecting([], available: available) == object)
        #expect(throws: QueryError.self) { try object.selecting(["nope"], available: available) }
        #expect(object[member: "tag"] == .string("t"))
    }
}
