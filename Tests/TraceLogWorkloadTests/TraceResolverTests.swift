import Testing

/// The test oracle itself must catch what the log would reject, or the consistency tests prove nothing.
@Suite("TraceResolver (test oracle)")
struct TraceResolverTests {
    @Test("accepts a tagged start, a caused_by chain, a parent and a later attempt")
    func acceptsConsistentLines() {
        let resolver = TraceResolver([
            ["type": "trigger_instance", "id": "t1", "trace": ["tag": "x"]],
            [
                "type": "rule_enforcement", "id": "r1", "trigger_instance": "t1",
                "caused_by": ["type": "trigger_instance", "id": "t1"],
            ],
            ["type": "execution", "id": "e1", "caused_by": ["type": "rule", "id": "r1"]],
            ["type": "execution", "id": "e2", "parent": "e1"],
            ["type": "execution", "id": "e1", "attempt": 2],
            ["type": "flow_event", "id": "e2"],
            ["type": "execution", "id": "e3", "rerun_of": "e1"],
        ])
        #expect(resolver.violations.isEmpty)
        #expect(resolver.traceOfLine == [0, 0, 0, 0, 0, 0, 1])
    }

    @Test(
        "reports what the log would reject",
        arguments: [
            [["type": "execution", "id": "e1", "caused_by": ["type": "rule", "id": "missing"]]],
            [["type": "execution", "id": "e1", "parent": "missing"]],
            [["type": "flow_event", "id": "missing"]],
            [["type": "execution", "id": "e1", "rerun_of": "missing"]],
            [["type": "execution", "id": "e1", "trace": ["id": "0123"]]],
            [
                ["type": "execution", "id": "e1", "trace": ["tag": "a"]],
                ["type": "execution", "id": "e1", "trace": ["tag": "b"]],
            ],
            [
                ["type": "trigger_instance", "id": "t1"],
                ["type": "execution", "id": "e1", "caused_by": ["type": "rule", "id": "t1"]],
            ],
        ] as [[[String: any Sendable]]])
    func reportsViolations(lines: [[String: any Sendable]]) {
        #expect(!TraceResolver(lines.map { $0.mapValues { $0 as Any } }).violations.isEmpty)
    }
}
