import Foundation
import Testing
import TraceLog
import TraceLogStorage

/// Index files are derived data: deleting or corrupting any of them changes no answer.
@Suite struct IndexRebuildTests {
    /// A store with several sealed segments and varied traces; returns the answers to a fixed set of queries.
    private func populate(_ fixture: StoreFixture) async throws {
        var events = Events()
        for index in 0..<150 {
            _ = try await fixture.store.ingest([
                events.trigger("ti-\(index)", tag: "tag-\(index % 5)"),
                events.rule("re-\(index)", rule: "rule-\(index % 4)", ref: "pack.rule\(index % 4)", on: "ti-\(index)"),
                events.execution("ex-\(index)", causedBy: .rule("re-\(index)")),
                events.execution("ex-\(index)", attempt: 2, failure: index % 3 == 0 ? .terminal : nil),
            ])
        }
    }

    private func answers(_ store: TraceStore) throws -> [String] {
        var lines: [String] = []
        for query in [
            TraceQuery(limit: nil), TraceQuery(tag: "tag-3", limit: nil), TraceQuery(execution: "ex-77"),
            TraceQuery(rule: "rule-2", limit: nil), TraceQuery(rule: "pack.rule1", limit: 5, offset: 3),
            TraceQuery(triggerInstance: "ti-149"), TraceQuery(limit: 7, order: .ascending),
        ] {
            let page = try store.listTraces(query)
            lines.append(
                "\(page.total): "
                    + page.traces.map { "\($0.id) \($0.tag) \($0.components.map(\.id))" }.joined(separator: "; "))
        }
        for entity in [EntityRef.execution("ex-0"), .rule("re-99"), .triggerInstance("ti-42")] {
            lines.append("\(entity) → \(String(describing: try store.traceID(of: entity)))")
        }
        return lines
    }

    private func indexFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tlidx") }.sorted()
    }

    @Test(arguments: ["delete", "flip", "truncate", "garbage"])
    func damagingEachIndexFileGivesIdenticalAnswers(damage: String) async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 1024))
        try await populate(fixture)
        // Sealed segments' index files are written off the writer's thread: list them once they all are (a
        // file still being written when listed made the repaired set look larger on a loaded machine).
        fixture.store.reader.waitForIndexFiles()
        let expected = try answers(fixture.store)
        let files = try indexFiles(fixture.directory)
        #expect(files.count >= 3, "several sealed segments with index files")
        for file in files {
            let path = fixture.directory + "/" + file
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            switch damage {
            case "delete": try FileManager.default.removeItem(atPath: path)
            case "flip":
                bytes[bytes.count / 2] ^= 0x10
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            case "truncate": try Data(bytes.prefix(bytes.count - 9)).write(to: URL(fileURLWithPath: path))
            default: try Data(repeating: 0x42, count: 4000).write(to: URL(fileURLWithPath: path))
            }
            let readOnly = try TraceStore.openReadOnly(directory: fixture.directory)
            #expect(try answers(readOnly) == expected, "\(damage) \(file), read-only (rebuilt in memory)")
        }
        // A reader that persists indexes (the writer's process) writes valid files again.
        let repaired = try LogReader(directory: fixture.directory, persistsIndexes: true)
        _ = try repaired.traceStarts()
        #expect(try indexFiles(fixture.directory) == files)
        let afterRepair = try TraceStore.openReadOnly(directory: fixture.directory)
        #expect(try answers(afterRepair) == expected)
    }

    @Test func openingLoadsNoSealedSegment() async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 1024))
        try await populate(fixture)
        let reader = try LogReader(directory: fixture.directory)
        #expect(reader.segmentNames.count >= 4)
        // Only the last segment is scanned at open; sealed ones load on first use.
        #expect(reader.loadedSegmentCount == 1)
        _ = try reader.traceStarts()
        #expect(reader.loadedSegmentCount == reader.segmentNames.count)
    }
}
