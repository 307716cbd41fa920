import Foundation
import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Fixtures generated from the real tools by `tools/fixtures/make-fixtures.sh`, read relative to this file
/// (the test target declares no resources).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// A `*.expected.json` file as Foundation objects.
    static func expected(_ name: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(try bytes(name))) as? [String: Any])
    }

    /// Non-empty lines with their 1-based numbers.
    static func lines(_ name: String) throws -> [(number: Int, text: String)] {
        try text(name).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.isEmpty }.map { ($0.offset + 1, String($0.element)) }
    }
}

/// A fresh log in a temporary directory, removed by `close()`.
final class TemporaryStore {
    let path: String
    let store: WritableTraceStore

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-formats-\(UUID())").path
        store = try WritableTraceStore.open(directory: path, options: LogOptions(durability: .none))
    }

    /// Ingests converted events, all of which must be accepted.
    func ingest(_ events: [ImportedEvent]) async throws {
        let result = try await store.ingest(events.map(\.event), atomic: true)
        #expect(
            result.rejected.isEmpty, "rejected: \(result.rejected.map { "\(events[$0.index].location): \($0.error)" })")
    }

    func close() {
        try? store.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh store and removes it afterwards.
func withTemporaryStore<T>(_ body: (TemporaryStore) async throws -> T) async throws -> T {
    let temporary = try TemporaryStore()
    defer { temporary.close() }
    return try await body(temporary)
}
