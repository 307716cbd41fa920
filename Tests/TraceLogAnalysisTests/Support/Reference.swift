import Foundation
import Testing

/// The scipy reference values of `tools/stats/make-reference.py`, read relative to this file (the test target
/// declares no resources; the tests need no Python).
enum Reference {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The interop fixtures of the real Stroma, Selinon and StackStorm shapes (TraceLogIngestTests).
    static let ingestFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("TraceLogIngestTests/Fixtures")

    /// The cases of one section of the reference file.
    static func cases(_ section: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent("statistics-reference.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(document[section] as? [[String: Any]], "section \(section)")
    }

    /// An ingest fixture's bytes.
    static func ingestFixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: ingestFixtures.appendingPathComponent(name)))
    }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) throws -> Double {
        try #require(self[key] as? Double ?? (self[key] as? Int).map(Double.init), "\(key)")
    }
    func int(_ key: String) throws -> Int { try #require(self[key] as? Int, "\(key)") }
    func doubles(_ key: String) throws -> [Double] {
        try #require((self[key] as? [Any])?.map { ($0 as? Double) ?? Double($0 as! Int) }, "\(key)")
    }
}

/// |actual − expected| within `relative` of |expected| (or of 1e-300 for an expected 0).
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-9) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= relative * max(abs(expected), 1e-300)
}
