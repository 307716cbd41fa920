import Testing
import TraceLog
import TraceLogStorage

/// Issue 13 / 18: the checks of `trace list` and `trace get` live once, in the library, for the CLI and the server.
@Suite struct QueryParsingTests {
    let now = Timestamp(rfc3339: "2026-11-22T10:00:00Z")!

    @Test(arguments: [
        ("2026-11-01", "2026-11-01T00:00:00.000000Z"), ("2026-11-22T09:30:00Z", "2026-11-22T09:30:00.000000Z"),
        ("30m", "2026-11-22T09:30:00.000000Z"), ("1h", "2026-11-22T09:00:00.000000Z"),
        ("7d", "2026-11-15T10:00:00.000000Z"), ("2w", "2026-11-08T10:00:00.000000Z"),
        ("45s", "2026-11-22T09:59:15.000000Z"),
    ])
    func timesAreAbsoluteDatesOrAgo(text: String, expected: String) {
        #expect(TimeExpression.parse(text, now: now)?.description == expected)
    }

    @Test(arguments: ["yesterday", "1y", "-1h", "2026-13-01", "1.5h", "", "h"])
    func otherTimesAreRejected(text: String) {
        #expect(TimeExpression.parse(text, now: now) == nil)
    }

    @Test func aListRequestBecomesAQuery() throws {
        let query = try TraceQuery(
            TraceListRequest(
                tag: "", execution: "ex-1", since: "1h", limit: -1, offset: 3, sort: "ascending", failedOnly: true),
            now: now)
        #expect(query.tag == nil)
        #expect(query.execution == "ex-1")
        #expect(query.since?.description == "2026-11-22T09:00:00.000000Z")
        #expect(query.limit == nil)
        #expect(query.offset == 3)
        #expect(query.order == .ascending)
        #expect(query.failedOnly)
    }

    @Test func badListRequestsNameTheField() {
        let spelling: (QueryField) -> String = { "\($0)" }
        #expect(throws: QueryError.invalidValue(.sort, expected: "asc or desc (ascending or descending)", got: "up")) {
            try TraceQuery(TraceListRequest(sort: "up"))
        }
        #expect(throws: QueryError.self) { try TraceQuery(TraceListRequest(limit: -2)) }
        #expect(throws: QueryError.self) { try TraceQuery(TraceListRequest(offset: -1)) }
        do {
            _ = try TraceQuery(TraceListRequest(until: "soon"))
            Issue.record("until=soon was accepted")
        } catch {
            #expect(error.message(spelling: spelling).hasPrefix("until: expected an RFC 3339 time"))
        }
    }

    @Test func selectorsAreCheckedOnce() throws {
        let cli: (QueryField) -> String = {
            $0 == .execution ? "-e" : $0 == .rule ? "-r" : $0 == .triggerInstance ? "-g" : "--effects"
        }
        #expect(throws: QueryError.severalSelectors) {
            try ComponentSelection(execution: "a", rule: "b", triggerInstance: nil, effects: false)
        }
        #expect(QueryError.severalSelectors.message(spelling: cli) == "use at most one of -e, -r and -g")
        #expect(throws: QueryError.effectsWithoutSelector) {
            try ComponentSelection(execution: nil, rule: "", triggerInstance: nil, effects: true)
        }
        #expect(QueryError.effectsWithoutSelector.message(spelling: cli) == "--effects needs -e, -r or -g")
        let selection = try ComponentSelection(execution: nil, rule: "r-1", triggerInstance: nil, effects: true)
        #expect(selection.selector == EntityRef(type: .rule, id: "r-1"))
        #expect(selection.effects)
    }
}
