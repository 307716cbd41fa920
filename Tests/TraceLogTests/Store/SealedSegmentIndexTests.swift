import Foundation
import Testing

@testable import TraceLog
@testable import TraceLogStorage

/// Issue 13 item 6: a writer's process keeps in memory the index of its active segment only. A segment it sealed
/// is looked up through its index file, so the process's memory stays flat as the log grows.
@Suite struct SealedSegmentIndexTests {
    @Test func sealedSegmentsAreLookedUpThroughTheirIndexFiles() async throws {
        let directory = NSTemporaryDirectory() + "tracelog-sealed-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try WritableTraceStore.open(
            directory: directory, options: LogOptions(durability: .none, segmentMaxBytes: 16 << 10))
        func execution(_ number: Int, cause: Int? = nil) -> IncomingEvent {
            IncomingEvent(
                body: .executionAttempt(
                    ExecutionAttempt(
                        id: "e\(number)", action: "pack.action\(number % 7)",
                        causedBy: cause.map { EntityRef(type: .execution, id: "e\($0)") })),
                time: Timestamp(microseconds: 1_795_000_000_000_000 + Int64(number)),
                trace: cause == nil ? TraceContext(tag: "tag-\(number % 50)") : nil)
        }
        for start in stride(from: 0, to: 2000, by: 100) {
            _ = try await store.ingest((start..<start + 100).map { execution($0) })
        }
        // A sealed segment's index file is written, and then mapped, on a background queue.
        store.reader.waitForIndexFiles()
        let segments = try store.reader.loadedSegments()
        #expect(segments.count > 3, "the test needs several sealed segments")
        for segment in segments.dropLast() {
            let index = segment.state.withLock { state -> String in
                switch state.index {
                case .mapped: "mapped"
                case .memory: "memory"
                case .layered: "layered"
                case nil: "none"
                }
            }
            #expect(index == "mapped", "\(segment.name) keeps its index in memory")
        }
        // Lookups through the files answer as memory did: entities of sealed segments are found, and an effect
        // joins the trace of a cause that lies in a sealed segment.
        for number in stride(from: 0, to: 2000, by: 37) {
            #expect(try store.traceID(of: EntityRef(type: .execution, id: "e\(number)")) != nil, "e\(number)")
        }
        let first = try #require(try store.traceID(of: EntityRef(type: .execution, id: "e3")))
        _ = try await store.ingest([execution(5000, cause: 3)])
        #expect(try store.traceID(of: EntityRef(type: .execution, id: "e5000")) == first)
        #expect(try store.listTraces(TraceQuery(tag: "tag-3", limit: nil)).total == 40)
        try store.close()
    }
}
