import Foundation
import Testing
import TraceLog

/// `import TraceLog` alone is enough to open a log, ingest through trace resolution and query it.
@Suite struct EmbedderTests {
    @Test func anEmbedderNeedsOnlyTraceLog() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-embedder-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try WritableTraceStore.open(directory: directory, options: LogOptions(durability: .sync))
        let trigger = TriggerInstance(id: "ti-1", trigger: "core.webhook", source: .webhook, hook: "deploy")
        let execution = ExecutionAttempt(
            id: "ex-1", action: "deploy.run", status: "succeeded",
            causedBy: EntityRef(type: .triggerInstance, id: "ti-1"))
        let result = try await store.ingest([
            IncomingEvent(body: .triggerInstance(trigger), trace: TraceContext(tag: "release")),
            IncomingEvent(body: .executionAttempt(execution)),
        ])
        let trace: TraceID = try #require(result.outcomes.first?.traceID)
        #expect(try store.trace(trace)?.components.map(\.id) == ["ti-1", "ex-1"])
        try store.close()
        let reader: TraceStore = try TraceStore.openReadOnly(directory: directory)
        #expect(try reader.traceID(of: EntityRef(type: .execution, id: "ex-1")) == trace)
    }
}
