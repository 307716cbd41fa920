import Foundation
import Testing
import TraceLog
import TraceLogStorage
import TraceLogTestSupport

@testable import TraceLogForward
@testable import TraceLogOTLP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `tracelog forward` as a process: killed and resumed, stopped by SIGTERM, with its metrics endpoint.
@Suite(.serialized) struct ForwardProcessTests {
    @Test func aKilledForwardResumesFromItsCursorAndEveryRecordArrivesAtLeastOnce() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(40))  // 80 records: a trace start and an execution each
        let sink = OTLPSink(delay: .milliseconds(40))
        try await sink.run { url in
            let started = try TraceLogBinary.start([
                "forward", "--otlp", url, "--log", source.directory, "--batch-records", "4", "--name", "tempo",
                "--cursor-interval", "0",
            ])
            let deadline = ContinuousClock.now + .seconds(30)
            while sink.requests.count < 4, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(started.process.processIdentifier, SIGKILL)
            await ChildProcess.waitForExit(started.process)
            #expect(started.process.terminationReason == .uncaughtSignal)
            let cursor = try ForwardCursor(logDirectory: source.directory, name: "tempo").load()
            #expect(cursor != nil && cursor! < 79)
            let resumed = try await TraceLogBinary.run([
                "forward", "--otlp", url, "--log", source.directory, "--batch-records", "4", "--name", "tempo",
                "--once",
            ])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("cursor 79, lag 0 records"))
        }
        // Every execution record's span arrived, in sequence order, the batch in flight at the kill possibly twice.
        let seqs = sink.spans.compactMap { intAttribute($0, "tracelog.seq") }
        let expected = Array(stride(from: Int64(1), through: 79, by: 2))
        #expect(Set(seqs) == Set(expected))
        // At least once: the batch in flight at the kill is sent again, and on a loaded machine one more batch
        // may be too (a request the sink served whose reply the client did not see is retried), so at most two
        // batches of 2 spans arrive twice. Sending more would mean the cursor lagged what was acknowledged.
        #expect(seqs.count - expected.count <= 4)
        var highest: Int64 = -1
        var rewinds = 0
        for seq in seqs {
            if seq <= highest { rewinds += 1 }
            highest = max(highest, seq)
        }
        #expect(rewinds <= 4)
        #expect(try ForwardCursor(logDirectory: source.directory, name: "tempo").load() == 79)
        // A second --once sends nothing.
        let before = sink.requests.count
        try await sink.run { url in
            let again = try await TraceLogBinary.run([
                "forward", "--otlp", url, "--log", source.directory, "--name", "tempo", "--once",
            ])
            #expect(again.status == 0)
            #expect(again.stdout.contains("forwarded 0 records (0 spans) in 0 requests"))
        }
        #expect(sink.requests.count == before)
    }

    @Test func followingStopsGracefullyOnSIGTERMAndServesMetrics() async throws {
        let source = try TemporaryLog()
        try await source.ingest(executionLines(5))
        let sink = OTLPSink()
        try await sink.run { url in
            let started = try TraceLogBinary.start([
                "forward", "--otlp", url, "--log", source.directory, "--metrics-port", "0",
            ])
            let banner = await ChildProcess.read(started.stdout, seconds: 20) { $0.contains("/metrics\n") }
            let metricsURL = try #require(
                banner.split(separator: "\n").first { $0.contains("metrics on") }?.split(separator: " ").last)
            // New records while it follows.
            try await source.ingest(executionLines(2, from: 5))
            let deadline = ContinuousClock.now + .seconds(30)
            var exposition = ""
            while ContinuousClock.now < deadline {
                let (data, _) = try await URLSession.shared.data(from: URL(string: String(metricsURL))!)
                exposition = String(decoding: data, as: UTF8.self)
                if exposition.contains(#"tracelog_forward_spans_sent_total{name="default"} 7"#) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(exposition.contains(#"tracelog_forward_cursor{name="default"} 13"#))
            #expect(exposition.contains(#"tracelog_forward_lag_records{name="default"} 0"#))
            #expect(exposition.contains("tracelog_forward_lag_seconds"))
            #expect(exposition.contains("tracelog_forward_retries_total"))
            kill(started.process.processIdentifier, SIGTERM)
            await ChildProcess.waitForExit(started.process)
            #expect(started.process.terminationStatus == 0)
            let rest = await ChildProcess.read(started.stdout) { _ in false }
            #expect(rest.contains("forwarded 14 records (7 spans)"), "\(rest)")
        }
    }

    @Test func badArgumentsAreClearErrors() async throws {
        let source = try TemporaryLog()
        let header = try await TraceLogBinary.run([
            "forward", "--otlp", "http://127.0.0.1:1/v1/traces", "--log", source.directory, "--header", "novalue",
            "--once",
        ])
        #expect(header.status != 0 && header.stderr.contains("--header novalue: expected NAME=VALUE"))
        let name = try await TraceLogBinary.run([
            "forward", "--otlp", "http://127.0.0.1:1/v1/traces", "--log", source.directory, "--name", "a/b", "--once",
        ])
        #expect(name.status == 1 && name.stderr.contains("invalid forward name \"a/b\""))
    }
}
