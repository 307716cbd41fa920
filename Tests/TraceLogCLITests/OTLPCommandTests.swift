import Foundation
import Testing

/// `tracelog ingest --format otlp` and `tracelog export --format otlp`.
@Suite struct OTLPCommandTests {
    static let traceID = "5b8efff798038103d269b633813fc60c"

    /// Two lines as the Collector's file exporter writes them, the child first; then a line that is not OTLP/JSON and
    /// a line with one bad span among good ones.
    static let input = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173","name":"SELECT stock","startTimeUnixNano":"1795000000000100000","endTimeUnixNano":"1795000000000900000"}]}]}]}
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b173","name":"GET /stock","startTimeUnixNano":"1795000000000000000","endTimeUnixNano":"1795000000001000000","status":{"code":2,"message":"upstream timeout"}}]}]}]}
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not hex"}]}]}]}
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":""},{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b176","parentSpanId":"eee19b7ec3c1b173","name":"publish"}]}]}]}

        """

    @Test func ingestReadsOTLPJSONLinesAndReportsBadLinesAndSpans() async throws {
        let log = TemporaryLog()
        let run = try await CLIRun.tracelog(
            ["ingest", "--format", "otlp", "--log", log.path, "--durability", "none", "-"], stdin: Self.input)
        #expect(run.status == 1)
        #expect(run.stdout == "3 ingested, 2 rejected\n")
        #expect(
            run.stderr == """
                line 3: field "resourceSpans[0].scopeSpans[0].spans[0].traceId": expected hex digits (OTLP/JSON writes ids as hex), got "not hex"
                line 4: resourceSpans[0].scopeSpans[0].spans[0]: the span has no name

                """)
        let trace = try await CLIRun.tracelog(["trace", "get", Self.traceID, "--log", log.path, "--json"])
        let object = try #require(trace.json as? [String: Any])
        #expect(object["tag"] as? String == "inventory")
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(components.count == 3)
        let chain = try await CLIRun.tracelog([
            "trace", "get", Self.traceID, "-e", "eee19b7ec3c1b174", "--log", log.path, "--json",
        ])
        let chained = ((chain.json as? [String: Any])?["components"] as? [[String: Any]])?.compactMap {
            $0["id"] as? String
        }
        #expect(Set(chained ?? []) == ["eee19b7ec3c1b173", "eee19b7ec3c1b174"])
    }

    @Test func exportPrintsOneOTLPJSONRequestThatIngestReadsBack() async throws {
        let log = TemporaryLog()
        _ = try await CLIRun.tracelog(
            ["ingest", "--format", "otlp", "--log", log.path, "--durability", "none", "-"], stdin: Self.input)
        let export = try await CLIRun.tracelog(["export", Self.traceID, "--format", "otlp", "--log", log.path])
        #expect(export.status == 0)
        #expect(export.stdout.filter { $0 == "\n" }.count == 1)
        let request = try #require(export.json as? [String: Any])
        let spans =
            (request["resourceSpans"] as? [[String: Any]])?.flatMap { ($0["scopeSpans"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["spans"] as? [[String: Any]]) ?? [] } ?? []
        #expect(Set(spans.compactMap { $0["name"] as? String }) == ["SELECT stock", "GET /stock", "publish"])
        let failed = spans.first { $0["name"] as? String == "GET /stock" }
        #expect((failed?["status"] as? [String: Any])?["message"] as? String == "upstream timeout")
        // Into another log, and out again: the same text.
        let copy = TemporaryLog()
        let reingest = try await CLIRun.tracelog(
            ["ingest", "--format", "otlp", "--log", copy.path, "--durability", "none", "-"], stdin: export.stdout)
        #expect(reingest.stdout == "3 ingested, 0 rejected\n")
        let again = try await CLIRun.tracelog(["export", Self.traceID, "--format", "otlp", "--log", copy.path])
        #expect(again.stdout == export.stdout)
        // Ingesting the same spans twice stores nothing twice.
        let twice = try await CLIRun.tracelog(
            ["ingest", "--format", "otlp", "--log", copy.path, "--durability", "none", "-"], stdin: export.stdout)
        #expect(twice.stdout == "0 ingested, 3 rejected\n")
        #expect(twice.stderr.contains("is already stored (a span is stored once)"))
    }

    @Test func replayPrintsTheRemainderAndReplayIngestKeepsTheTrace() async throws {
        let log = TemporaryLog()
        _ = try await CLIRun.tracelog(
            ["ingest", "--format", "otlp", "--log", log.path, "--durability", "none", "-"], stdin: Self.input)
        let replay = try await CLIRun.tracelog(["replay", "--log", log.path])
        #expect(replay.stdout.contains(#""scopeSpans":[{"spans":[{"startTimeUnixNano":"1795000000000100000""#))
        let copy = TemporaryLog()
        let ingest = try await CLIRun.tracelog(
            ["ingest", "--log", copy.path, "--durability", "none", "-"], stdin: replay.stdout)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let before = try await CLIRun.tracelog(["export", Self.traceID, "--format", "otlp", "--log", log.path])
        let after = try await CLIRun.tracelog(["export", Self.traceID, "--format", "otlp", "--log", copy.path])
        #expect(after.stdout == before.stdout)
    }
}
