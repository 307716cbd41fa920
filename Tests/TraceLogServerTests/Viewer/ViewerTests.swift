import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

@testable import TraceLogServer

/// Issue 18: the web viewer in a real browser. Each test serves a real log on loopback, drives Debian's headless
/// Chromium over the DevTools protocol (real mouse clicks), asserts on the DOM the viewer built, and keeps a
/// screenshot in `.build/test-artifacts/viewer/` (README, "Tests").
@Suite(.serialized) struct ViewerTests {
    /// Runs `body` with a served log (filled by `fill`) and a browser, returning the base URL to it.
    func withViewer(
        _ fill: @Sendable (TestServer, any TestClientProtocol) async throws -> Void,
        _ body: @escaping @Sendable (HeadlessChromium, String, TestServer) throws -> Void
    ) async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            try await fill(server, client)
            let base = "http://127.0.0.1:\(try #require(client.port))/"
            try await withChromium { browser in try body(browser, base, server) }
        }
    }

    static func count(_ browser: HeadlessChromium, _ selector: String) throws -> Int {
        try browser.evaluate("document.querySelectorAll(\(quoted(selector))).length") as? Int ?? -1
    }

    static func text(_ browser: HeadlessChromium, _ selector: String) throws -> String {
        try browser.evaluate("(document.querySelector(\(quoted(selector))) || {}).textContent || ''") as? String ?? ""
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    static func traceID(_ server: TestServer, _ entity: EntityRef) throws -> String {
        try #require(try server.store.traceID(of: entity)).description
    }

    @Test func theListKeepsItsFiltersInTheURLAndShowsOutcomes() async throws {
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.single(tag: "deploy-a", id: "ex-a", failed: true, at: 0))
            try await client.ingest(ViewerFixtures.single(tag: "deploy-b", id: "ex-b", failed: false, at: 1000))
            try await client.ingest(ViewerFixtures.single(tag: "nightly-c", id: "ex-c", failed: true, at: 2000))
            try await client.ingest(ViewerFixtures.single(tag: "deploy-d", id: "ex-d", failed: false, at: 3000))
        }) { browser, base, _ in
            try browser.open(base + "#/?failed=true&sort=asc")
            try browser.waitFor("document.querySelectorAll('#trace-rows tr[data-trace-id]').length === 2")
            let tags =
                try browser.evaluate(
                    "[...document.querySelectorAll('#trace-rows tr')].map(r => r.children[1].textContent)") as? [String]
            #expect(tags == ["deploy-a", "nightly-c"], "only failed traces, oldest first, as the URL says")
            let outcomes =
                try browser.evaluate(
                    "[...document.querySelectorAll('#trace-rows .badge')].map(b => b.textContent)") as? [String]
            #expect(outcomes == ["failed", "failed"])
            #expect(try browser.evaluate("document.querySelector('#filters [name=failed]').checked") as? Bool == true)
            #expect(try browser.evaluate("document.querySelector('#filters [name=sort]').value") as? String == "asc")
            #expect(try Self.text(browser, "#list-summary") == "1–2 of 2 traces")
            try browser.screenshot("list-failed-only")

            // Unticking "failed only" and submitting puts the new filters in the URL and lists every trace.
            try browser.click("#filters [name=failed]")
            try browser.click("#filters button[type=submit]")
            try browser.waitFor("document.querySelectorAll('#trace-rows tr[data-trace-id]').length === 4")
            let hash = try browser.evaluate("location.hash") as? String
            #expect(hash == "#/?sort=asc", "the URL holds the filters: \(hash ?? "")")
            let all =
                try browser.evaluate(
                    "[...document.querySelectorAll('#trace-rows .badge')].map(b => b.textContent)") as? [String]
            #expect(all == ["failed", "succeeded", "failed", "succeeded"])

            // A tag that matches only a successful trace, with failed=true: an empty list that says so.
            try browser.open(base + "#/?trace_tag=deploy-b&failed=true")
            try browser.waitFor("document.querySelector('#trace-rows td.empty') !== null")
            #expect(try Self.text(browser, "#trace-rows td.empty") == "no trace matches these filters")
            #expect(
                try browser.evaluate("document.querySelector('#filters [name=trace_tag]').value") as? String
                    == "deploy-b")
        }
    }

    @Test func aCascadeIsOneWaterfallWithCappedIndentationAndOneAxisUnit() async throws {
        let steps = 16
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.cascade(tag: "cascade", steps: steps))
        }) { browser, base, server in
            let id = try Self.traceID(server, EntityRef(type: .triggerInstance, id: "ti-0"))
            try browser.open(base + "#/trace/\(id)")
            try browser.waitFor("document.querySelectorAll('#waterfall-rows .row').length > 0")
            let components = 3 + steps * 3
            #expect(try Self.count(browser, "#waterfall-rows .row") == components, "one row per component")
            // Tree and bars share each row: every row has its label and its lane, and bars sit in lanes.
            #expect(try Self.count(browser, "#waterfall-rows .row > .row-label + .row-lane") == components)
            #expect(try Self.count(browser, "#waterfall-rows .row-lane .bar") == steps + 2, "one bar per attempt")
            #expect(try Self.count(browser, "#waterfall-rows .row-lane .mark") == components - steps - 1)
            // Deep rows: indentation stops at the cap, a depth mark says how deep, and no label wraps.
            let paddings =
                try browser.evaluate(
                    "[...document.querySelectorAll('.row-label')].map(l => parseFloat(l.style.paddingLeft))")
                as? [Double]
            #expect((paddings ?? []).max() == Double(10 * 12 + 4))
            let deepest =
                try browser.evaluate(
                    "Math.max(...[...document.querySelectorAll('.depth-mark')].map(m => Number(m.textContent.slice(1))))"
                )
                as? Int
            #expect(deepest == 3 * steps, "the deepest row is marked with its depth")
            let heights =
                try browser.evaluate(
                    "[...new Set([...document.querySelectorAll('#waterfall-rows .row')].map(r => r.offsetHeight))]")
                as? [Int]
            #expect(heights?.count == 1, "every row has one height: no label wraps (\(heights ?? []))")
            // Labels tell repeated refs apart.
            let runSteps =
                try browser.evaluate(
                    "[...document.querySelectorAll('.row')].filter(r => r.querySelector('.ref')?.textContent === 'ops.run_step').map(r => r.querySelector('.id').textContent)"
                ) as? [String]
            #expect(Set(runSteps ?? []).count == steps, "each ops.run_step row shows its own id")
            // One unit on the axis.
            let ticks =
                try browser.evaluate("[...document.querySelectorAll('#axis .tick')].map(t => t.textContent)")
                as? [String] ?? []
            #expect(ticks.count >= 3)
            #expect(Set(ticks.map { $0.split(separator: " ").last.map(String.init) ?? "" }).count == 1, "\(ticks)")
            #expect(try Self.text(browser, "#axis-unit") == "time since the trace started, in s")
            try browser.screenshot("cascade")

            // Zoom in twice: the minimap window shrinks to a quarter, the axis switches to a finer span.
            #expect(
                try browser.evaluate("parseFloat(document.getElementById('minimap-window').style.width)") as? Double
                    == 100)
            try browser.click("#zoom-in")
            try browser.click("#zoom-in")
            #expect(
                try browser.evaluate("parseFloat(document.getElementById('minimap-window').style.width)") as? Double
                    == 25)
            try browser.click("#pan-right")
            let left =
                try browser.evaluate("parseFloat(document.getElementById('minimap-window').style.left)") as? Double
            #expect(left == 37.5 + 6.25, "panning moves the window a quarter of its width")
            try browser.screenshot("cascade-zoomed")
            try browser.click("#zoom-reset")
            #expect(
                try browser.evaluate("parseFloat(document.getElementById('minimap-window').style.width)") as? Double
                    == 100)
        }
    }

    @Test func aLargeTraceIsReadAPageAtATime() async throws {
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.cascade(tag: "paged", steps: 16))
        }) { browser, base, server in
            let id = try Self.traceID(server, EntityRef(type: .triggerInstance, id: "ti-0"))
            // A page of 20 components instead of 2,000, so 51 components take three pages.
            try browser.open(base + "#/")
            try browser.evaluate("TL.pageSize = 20; location.hash = '#/trace/\(id)'; true")
            try browser.waitFor("document.querySelectorAll('#waterfall-rows .row').length === 20")
            #expect(try Self.text(browser, "#component-range") == "components 1–20 of 51")
            #expect(try browser.evaluate("document.getElementById('components-previous').disabled") as? Bool == true)
            try browser.click("#components-next")
            try browser.waitFor("document.getElementById('component-range').textContent === 'components 21–40 of 51'")
            #expect(try browser.evaluate("location.hash") as? String == "#/trace/\(id)?offset=20")
            #expect(try Self.count(browser, "#waterfall-rows .row") == 20)
            try browser.click("#components-next")
            try browser.waitFor("document.getElementById('component-range').textContent === 'components 41–51 of 51'")
            #expect(try Self.count(browser, "#waterfall-rows .row") == 11)
            #expect(try browser.evaluate("document.getElementById('components-next').disabled") as? Bool == true)
            try browser.screenshot("paged")
        }
    }

    @Test func clickingARowOpensItsDetails() async throws {
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.cascade(tag: "details", steps: 6))
        }) { browser, base, server in
            let id = try Self.traceID(server, EntityRef(type: .triggerInstance, id: "ti-0"))
            try browser.open(base + "#/trace/\(id)")
            try browser.waitFor("document.querySelector('.row[data-key=\"execution:ex-3\"]') !== null")
            try browser.click(".row[data-key=\"execution:ex-3\"] .ref")
            try browser.waitFor("document.querySelector('#details .attempt') !== null")
            #expect(try browser.evaluate("location.hash") as? String == "#/trace/\(id)?node=execution%3Aex-3")
            #expect(
                try browser.evaluate("document.querySelector('.row.selected').dataset.key") as? String
                    == "execution:ex-3")
            let fields = try Self.text(browser, "#details dl.fields")
            for expected in ["ex-3", "execution", "ops.run_step", id, "rule re-3", "succeeded"] {
                #expect(fields.contains(expected), "details show \(expected): \(fields)")
            }
            #expect(try Self.count(browser, "#details .attempt") == 2)
            #expect(
                try Self.text(browser, "#details .attempt[data-attempt='1'] .failure-message")
                    == "RECOVERABLE: connection reset by peer")
            #expect(try Self.text(browser, "#details .attempt[data-attempt='1'] .duration") == "60.0 ms")
            #expect(
                try Self.text(browser, "#details .attempt[data-attempt='2'] .output pre")
                    == "{\n  \"rows\": 42,\n  \"ok\": true\n}", "output as formatted JSON")
            #expect(
                try Self.text(browser, "#details .attempt[data-attempt='2'] .input pre").contains("\"host\": \"db-1\""))
            let chain =
                try browser.evaluate(
                    "[...document.querySelectorAll('#details .chain-up li a')].map(a => a.textContent)") as? [String]
            #expect(chain?.first == "core.st2.webhook", "the chain starts at the origin: \(chain ?? [])")
            #expect(chain?.last == "ops.chain_next_step", "and ends at the direct cause")
            #expect(chain?.count == 3 * 3 + 2, "every cause up to the origin: \(chain ?? [])")
            let effects = try Self.count(browser, "#details .effects-down li a")
            #expect(effects == 1 + 3 * 2, "the action trigger and the two steps after it, three components each")
            try browser.screenshot("details-execution")

            // The chain's links open their own details: the webhook's payload.
            try browser.click("#details .chain-up li a")
            try browser.waitFor("document.querySelector('#details .payload pre') !== null")
            #expect(try Self.text(browser, "#details .payload pre").contains("\"message\": \"fix the build\""))
            #expect(try Self.text(browser, "#details .effects-down").contains("ops.notify_chat"))
            try browser.screenshot("details-trigger")
        }
    }

    @Test func aSubtreeCollapsesAndExpands() async throws {
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.cascade(tag: "collapse", steps: 5))
        }) { browser, base, server in
            let id = try Self.traceID(server, EntityRef(type: .triggerInstance, id: "ti-0"))
            try browser.open(base + "#/trace/\(id)")
            try browser.waitFor("document.querySelectorAll('#waterfall-rows .row').length === 18")
            let visible =
                "[...document.querySelectorAll('#waterfall-rows .row')].filter(r => r.offsetParent !== null).length"
            #expect(try browser.evaluate(visible) as? Int == 18)
            // ex-1 has below it: its action trigger, and steps 2, 3 and 4 (three components each).
            try browser.click(".row[data-key=\"execution:ex-1\"] .toggle")
            #expect(try browser.evaluate(visible) as? Int == 18 - 10)
            #expect(try Self.text(browser, ".row[data-key=\"execution:ex-1\"] .hidden-count") == "+10")
            #expect(
                try browser.evaluate(
                    "document.querySelector('.row[data-key=\"execution:ex-1\"]').getAttribute('aria-expanded')")
                    as? String == "false")
            #expect(
                try browser.evaluate("document.querySelector('#details').classList.contains('hidden')") as? Bool
                    == true,
                "the toggle collapses without opening details")
            try browser.screenshot("collapsed")
            try browser.click(".row[data-key=\"execution:ex-1\"] .toggle")
            #expect(try browser.evaluate(visible) as? Int == 18)
            try browser.click("#collapse-all")
            #expect(try browser.evaluate(visible) as? Int == 1, "only the origin is left")
            try browser.click("#expand-all")
            #expect(try browser.evaluate(visible) as? Int == 18)
        }
    }

    @Test func aStromaRunShowsItsRetriesAndNoStackStormControls() async throws {
        try await withViewer({ server, _ in
            try await ViewerFixtures.ingest("stroma-flaky.json", format: .stroma, into: server.store)
        }) { browser, base, server in
            let trace = try #require(try server.store.listTraces(TraceQuery()).traces.first)
            try browser.open(base + "#/trace/\(trace.id)")
            try browser.waitFor("document.querySelectorAll('#waterfall-rows .row').length > 0")
            #expect(try Self.text(browser, "#trace-engine") == "stroma")
            #expect(
                try browser.evaluate("document.getElementById('hide-noop-control').offsetParent === null") as? Bool
                    == true,
                "the noop-trigger filter is StackStorm's")
            #expect(
                try browser.evaluate(
                    "[...document.querySelectorAll('.legend .stackstorm-only')].every(e => e.offsetParent === null)")
                    as? Bool == true)
            #expect(try Self.count(browser, "#waterfall-rows .row") == 1)
            #expect(try Self.text(browser, ".row .attempts") == "×3")
            let bars =
                try browser.evaluate("[...document.querySelectorAll('.row .bar')].map(b => b.className)") as? [String]
            #expect(bars == ["bar outcome-recoverable", "bar outcome-recoverable", "bar outcome-success"])
            try browser.click(".row .ref")
            try browser.waitFor("document.querySelectorAll('#details .attempt').length === 3")
            #expect(try Self.text(browser, "#details .attempt[data-attempt='3'] .output pre").contains("café"))
            try browser.screenshot("stroma-retries")
        }
    }

    @Test func aSelinonFlowHasAFlowEventTimeline() async throws {
        try await withViewer({ server, _ in
            try await ViewerFixtures.ingest("selinon-flow.jsonl", format: .selinon, into: server.store)
        }) { browser, base, server in
            // The fixture's main flow: sub-flows, retries, a task failure and a fallback, in one trace.
            let trace = try #require(try server.store.listTraces(TraceQuery(tag: "mainFlow")).traces.first)
            let events = trace.flowEvents.count
            try browser.open(base + "#/trace/\(trace.id)")
            try browser.waitFor("document.querySelectorAll('#flow-timeline .flow-mark').length > 0")
            #expect(try Self.text(browser, "#trace-engine") == "selinon")
            #expect(try Self.count(browser, "#flow-timeline .flow-mark") == events)
            #expect(try Self.count(browser, "#flow-timeline tr.flow-event") == events)
            let names =
                try browser.evaluate(
                    "[...document.querySelectorAll('#flow-timeline td.event')].map(t => t.textContent)") as? [String]
            #expect(names?.first == "FLOW_SCHEDULE")
            #expect(names?.contains("TASK_FAILURE") == true)
            #expect(try Self.count(browser, "#flow-timeline .flow-mark.flow-terminal") > 0, "failures stand out")
            #expect(
                try browser.evaluate("document.getElementById('hide-noop-control').offsetParent === null") as? Bool
                    == true)
            // A flow event's details open under it.
            try browser.click("#flow-timeline tr.flow-event")
            #expect(
                try Self.text(browser, "#flow-timeline tr.flow-details pre").contains("\"flow_name\": \"mainFlow\""))
            try browser.screenshot("selinon-flow")
        }
    }

    @Test func anUnknownTraceSaysTraceNotFound() async throws {
        try await withViewer({ _, client in
            try await client.ingest(ViewerFixtures.single(tag: "x", id: "ex-x", failed: false, at: 0))
        }) { browser, base, _ in
            let missing = "0123456789abcdef0123456789abcdef"
            try browser.open(base + "#/trace/\(missing)")
            try browser.waitFor("!document.getElementById('trace-message').classList.contains('hidden')")
            #expect(try Self.text(browser, "#trace-message h1") == "Trace \(missing) not found")
            #expect(
                try browser.evaluate("document.getElementById('trace-message').className") as? String
                    == "state not-found")
            #expect(
                try browser.evaluate("document.getElementById('trace-body').offsetParent === null") as? Bool == true,
                "no empty panels")
            #expect(!(try Self.text(browser, "#trace-view")).contains("run "), "it says trace, not run")
            try browser.screenshot("not-found")

            try browser.open(base + "#/trace/not-an-id")
            try browser.waitFor("document.getElementById('trace-message').className === 'state invalid'")
            #expect(try Self.text(browser, "#trace-message h1") == "“not-an-id” is not a trace id")
        }
    }
}
