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
        let chromium = try #require(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            },
            "Debian's chromium is needed: run tools/prerequisites.sh (apt-get install -y chromium)")
        let server = try TestServer()
        try await server.test(.live) { client in
            let ingest = try await client.execute(
                uri: "/v1/events", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(text: Self.cyclic))
            #expect(ingest.status == .ok)
            let traceID = try #require(
                try server.store.traceID(of: EntityRef(type: .triggerInstance, id: "ti-aaaaaaaa")))
            let port = try #require(client.port)
            let url = "http://127.0.0.1:\(port)/#/trace/\(traceID)"
            // Chromium runs for seconds: wait for it on a Dispatch thread, not on the pool the server answers on.
            let dom = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try Self.renderedDOM(chromium, url: url) })
                }
            }
            let tree = try #require(Self.section(of: dom, id: "causation-tree"), "no causation tree in:\n\(dom)")
            for id in ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"] {
                #expect(tree.contains("…\(id)"), "component …\(id) is drawn")
            }
            #expect(Self.count(#"class="cycle-entry""#, in: tree) == 1, "the tree entering the cycle is marked")
            #expect(Self.count(#"class="cycle-back""#, in: tree) == 1, "the link closing the cycle is marked")
            #expect(Self.count("<li", in: tree) == 5, "four components, each once, and the cycle's back link")
        }
    }

    /// The DOM of `url` after its scripts ran, as headless Chromium prints it.
    static func renderedDOM(_ chromium: String, url: String) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--virtual-time-budget=10000", "--dump-dom", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The markup inside the element with `id` (up to the element's own closing tag, counting nested `div`s).
    static func section(of dom: String, id: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        let rest = dom[start.upperBound...]
        guard let end = rest.range(of: "</section>") else { return String(rest) }
        return String(rest[..<end.lowerBound])
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
