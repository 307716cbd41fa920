import Foundation
import Hummingbird
import HummingbirdTesting
import TraceLog
import TraceLogIngest
import TraceLogStorage

@testable import TraceLogServer

/// Traces for the viewer's browser tests, as native event lines and the importers' real fixtures.
enum ViewerFixtures {
    /// `2026-11-22T10:00:00Z` plus `milliseconds`, as RFC 3339.
    static func time(_ milliseconds: Int) -> String {
        Timestamp(microseconds: 1_795_341_600_000_000 + Int64(milliseconds) * 1000).description
    }

    /// A StackStorm rule cascade `steps` long (webhook → rule → execution → action trigger → rule → …), so the
    /// deepest component is 3 × `steps` levels down; step 3's execution fails once (`RECOVERABLE`) and succeeds on
    /// its retry; the first trigger also fires a second rule (a second branch).
    static func cascade(tag: String, steps: Int) -> String {
        var lines = [
            #"{"type":"trigger_instance","id":"ti-0","time":"\#(time(0))","trigger":"core.st2.webhook","source":"webhook","hook":"deploy","payload":{"ref":"main","commits":[{"id":"c0ffee","message":"fix the build"}]},"trace":{"tag":"\#(tag)"}}"#,
            #"{"type":"rule_enforcement","id":"re-side","time":"\#(time(2))","rule":{"id":"r-notify","ref":"ops.notify_chat"},"trigger_instance":"ti-0","execution":"ex-side"}"#,
            #"{"type":"execution","id":"ex-side","time":"\#(time(4))","action":"chatops.post","status":"succeeded","duration_ms":40,"caused_by":{"type":"rule","id":"re-side"},"output":{"posted":true}}"#,
        ]
        for step in 0..<steps {
            let start = step * 200
            lines.append(
                #"{"type":"rule_enforcement","id":"re-\#(step)","time":"\#(time(start + 5))","rule":{"id":"r-chain","ref":"ops.chain_next_step"},"trigger_instance":"ti-\#(step)","execution":"ex-\#(step)"}"#
            )
            if step == 3 {
                lines.append(
                    #"{"type":"execution","id":"ex-3","time":"\#(time(start + 10))","action":"ops.run_step","attempt":1,"status":"failed","failure":"RECOVERABLE","failure_message":"connection reset by peer","duration_ms":60,"input":{"step":3,"host":"db-1"},"caused_by":{"type":"rule","id":"re-3"}}"#
                )
                lines.append(
                    #"{"type":"execution","id":"ex-3","time":"\#(time(start + 80))","action":"ops.run_step","attempt":2,"status":"succeeded","duration_ms":90,"input":{"step":3,"host":"db-1"},"output":{"rows":42,"ok":true}}"#
                )
            } else {
                lines.append(
                    #"{"type":"execution","id":"ex-\#(step)","time":"\#(time(start + 10))","action":"ops.run_step","status":"succeeded","duration_ms":150,"input":{"step":\#(step)},"output":{"ok":true},"caused_by":{"type":"rule","id":"re-\#(step)"}}"#
                )
            }
            lines.append(
                #"{"type":"trigger_instance","id":"ti-\#(step + 1)","time":"\#(time(start + 170))","trigger":"core.st2.generic.actiontrigger","source":"action_trigger","payload":{"status":"succeeded"},"caused_by":{"type":"execution","id":"ex-\#(step)"}}"#
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A one-execution trace tagged `tag` whose execution succeeded or failed (`TERMINAL`).
    static func single(tag: String, id: String, failed: Bool, at milliseconds: Int) -> String {
        let outcome =
            failed
            ? #""status":"failed","failure":"TERMINAL","failure_message":"exit code 2""#
            : #""status":"succeeded","output":{"ok":true}"#
        return
            #"{"type":"execution","id":"\#(id)","time":"\#(time(milliseconds))","action":"ci.build","duration_ms":30,\#(outcome),"trace":{"tag":"\#(tag)"}}"#
            + "\n"
    }

    /// A fixture of the importers' tests (made by the real Stroma and Selinon).
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TraceLogIngestTests/Fixtures/\(name)")
    }

    /// Ingests a fixture file of `format` into the server's log through the ingest pipeline.
    static func ingest(_ name: String, format: IngestFormat, into store: WritableTraceStore) async throws {
        let path = fixture(name).path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw HeadlessChromium.Failure(description: "cannot open \(path)") }
        defer { close(descriptor) }
        let summary = try await IngestPipeline(store: store, stopOnError: true, report: { _ in })
            .run(format, fileDescriptor: descriptor, name: path)
        guard summary.rejected == 0, summary.ingested > 0 else {
            throw HeadlessChromium.Failure(description: "\(name): \(summary.counts)")
        }
    }
}

extension TestClientProtocol {
    /// Posts native event lines; fails the test unless all are accepted.
    func ingest(_ lines: String) async throws {
        let response = try await execute(
            uri: "/v1/events", method: .post, headers: [.contentType: "application/x-ndjson"],
            body: ByteBuffer(string: lines))
        guard response.status == .ok else {
            throw HeadlessChromium.Failure(description: "ingest: \(response.status) \(String(buffer: response.body))")
        }
    }
}
