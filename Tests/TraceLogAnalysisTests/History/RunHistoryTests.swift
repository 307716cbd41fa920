import Testing
import TraceLog
import TraceLogAnalysis
import TraceLogStorage

@Suite("history: series per node in start-time order")
struct RunHistoryTests {
    @Test("a slowdown in the log is found at the first slow run; --node keeps one node; unknown nodes are errors")
    func fromLog() async throws {
        try await withLog { store in
            var events: [IncomingEvent] = []
            var generator = SeededGenerator(seed: 12)
            for index in 0..<80 {
                let slow = index >= 50
                let noise = { generator.nextNormal() }
                events += pipelineRun(
                    tag: "nightly-\(index)", start: Int64(index) * 60_000_000,
                    durations: [("build", (slow ? 150 : 100) + 3 * noise()), ("test", 40 + 2 * noise())])
            }
            _ = try await store.ingest(events, atomic: true)
            let set = try store.runSet(RunSelector(parsing: "tag:nightly-*"))
            let history = try RunHistory(set)
            #expect(history.nodes.map(\.node) == ["build", "test"])
            let build = history.nodes[0]
            #expect(build.points.count == 80)
            #expect(build.changePoints.map(\.index) == [50])
            #expect(build.changePoints.first?.traceID == set.runs[50].traceID)
            #expect(build.changePoints.first?.time == set.runs[50].startTime)
            #expect(history.nodes[1].changePoints.isEmpty, "the flat node has none")
            #expect(try RunHistory(set, node: "test").nodes.map(\.node) == ["test"])
            #expect(throws: AnalysisError.self) { try RunHistory(set, node: "nope") }
        }
    }
}
