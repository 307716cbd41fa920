import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogServer

/// Issue 14 item 11: the web viewer draws every component of a trace whose causes form a cycle, with the cycle
/// marked. A real server on loopback, the real viewer in headless Chromium (`tools/prerequisites.sh` installs
/// Debian's `chromium`), and assertions on the DOM it built.
@Suite struct ViewerCycleTests {
    /// tiA → exA → ex2 → (causation link) tiA, and ex3 under exA.
    static let cyclic = [
        #"{"type":"trigger_instance","id":"ti-aaaaaaaa","time":"2026-11-22T10:00:00Z","trigger":"core.t","trace":{"tag":"loop"}}"#,
        #"{"type":"execution","id":"ex-bbbbbbbb","time":"2026-11-22T10:00:01Z","action":"a.one","caused_by":{"type":"trigger_instance","id":"ti-aaaaaaaa"}}"#,
        #"{"type":"execution","id":"ex-cccccccc","time":"2026-11-22T10:00:02Z","action":"a.two","caused_by":{"type":"execution","id":"ex-bbbbbbbb"}}"#,
        #"{"type":"execution","id":"ex-dddddddd","time":"2026-11-22T10:00:03Z","action":"a.three","caused_by":{"type":"execution","id":"ex-bbbbbbbb"}}"#,
        #"{"type":"causation_link","time":"2026-11-22T10:00:04Z","entity":{"type":"trigger_instance","id":"ti-aaaaaaaa"},"caused_by":{"type":"execution","id":"ex-cccccccc"}}"#,
    ].joined(separator: "\n")

    @Test func aCyclicTraceShowsEveryComponentWithTheCycleMarked() async throws {
        let server = try TestServer()
        try await server.test(.live) { client in
            try await client.ingest(Self.cyclic)
            let traceID = try #require(
                try server.store.traceID(of: EntityRef(type: .triggerInstance, id: "ti-aaaaaaaa")))
            let url = "http://127.0.0.1:\(try #require(client.port))/#/trace/\(traceID)"
            try await withChromium { browser in
                try browser.open(url)
                try browser.waitFor("document.querySelectorAll('#waterfall-rows .row').length > 0")
                let ids =
                    try browser.evaluate(
                        "[...document.querySelectorAll('#waterfall-rows .row .id')].map(e => e.textContent)")
                    as? [String]
                for id in ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"] {
                    #expect(ids?.contains("…\(id)") == true, "component …\(id) is drawn")
                }
                let count = { (selector: String) in
                    try browser.evaluate("document.querySelectorAll('\(selector)').length") as? Int
                }
                #expect(try count("#waterfall-rows .row.cycle-entry") == 1, "the tree entering the cycle is marked")
                #expect(try count("#waterfall-rows .row.cycle-back") == 1, "the link closing the cycle is marked")
                #expect(try count("#waterfall-rows .row") == 5, "four components, each once, and the cycle's back link")
                try browser.screenshot("cycle")
            }
        }
    }
}
