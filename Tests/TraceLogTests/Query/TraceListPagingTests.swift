import Foundation
import Testing
import TraceLog
import TraceLogStorage

/// `trace list` by entity reads a page of few candidates in one pass (each trace once, placed by its own first
/// record) and larger ones by looking every start up first: both give the same totals, order and pages.
@Suite struct TraceListPagingTests {
    /// Six traces that each enforce rule `rule-1` (and one that does not), spread over several segments.
    private func makeLog(_ fixture: StoreFixture) async throws -> [TraceID] {
        var events = Events()
        var ids: [TraceID] = []
        for index in 0..<6 {
            try await fixture.ingest(events.trigger("ti-\(index)", tag: "t-\(index)"))
            try await fixture.ingest(events.trigger("other-\(index)", tag: "other-\(index)"))
            try await fixture.ingest(events.rule("re-\(index)", rule: "rule-1", ref: "pack.rule", on: "ti-\(index)"))
            ids.append(try #require(try fixture.store.traceID(of: .triggerInstance("ti-\(index)"))))
        }
        return ids
    }

    @Test(arguments: [TraceQuery.Order.ascending, .descending])
    func fewCandidatesAndManyGiveTheSamePages(order: TraceQuery.Order) async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 512))
        let ids = try await makeLog(fixture)
        let store = fixture.store
        let expected = order == .ascending ? ids : ids.reversed()

        // One page holding every candidate: the one-pass path.
        let whole = try store.listTraces(TraceQuery(rule: "rule-1", limit: 50, order: order))
        #expect(whole.total == 6)
        #expect(whole.traces.map(\.id) == expected)

        // Pages of two: the first two look every start up first, the last holds the remaining candidates.
        var paged: [TraceID] = []
        for offset in stride(from: 0, to: 6, by: 2) {
            let page = try store.listTraces(TraceQuery(rule: "rule-1", limit: 2, offset: offset, order: order))
            #expect(page.total == 6)
            paged += page.traces.map(\.id)
        }
        #expect(paged == expected)
        #expect(
            try store.listTraces(TraceQuery(rule: "rule-1", limit: 50, offset: 5, order: order)).traces.map(\.id)
                == [expected[5]])

        // A time range applies to the trace starts on both paths.
        let starts = try ids.map { try #require(try store.trace($0)).startTime }
        let since = starts[2]
        let until = starts[4]
        let inRange = order == .ascending ? Array(ids[2...4]) : Array(ids[2...4].reversed())
        for limit in [50, 1] {
            var query = TraceQuery(rule: "rule-1", since: since, until: until, limit: limit, order: order)
            let page = try store.listTraces(query)
            #expect(page.total == 3, "limit \(limit)")
            #expect(page.traces.map(\.id) == Array(inRange.prefix(limit)))
            query.offset = 3
            #expect(try store.listTraces(query).traces.isEmpty)
        }
        #expect(try store.listTraces(TraceQuery(rule: "no-such-rule", limit: 50)).total == 0)
    }
}
