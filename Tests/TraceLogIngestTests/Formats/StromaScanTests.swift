import Foundation
import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogIngest

/// The Stroma scan (``StromaImporter/scannedEvents(from:)``) against the general path it stands in for: on every
/// fixture it must accept the document and give the same events; on thousands of damaged copies of them, the
/// importer (scan, else the general path) must give exactly what the general path gives alone — the same
/// events, or the same error message.
@Suite struct StromaScanTests {
    static let fixtures = [
        "stroma-edge.json", "stroma-flaky.json", "stroma-pair-a.json", "stroma-pair-b.json", "stroma-terminal.json",
    ]

    /// What one conversion gave: the events or the error's message.
    private enum Outcome: Equatable {
        case events([ImportedEvent])
        case error(String)
    }

    private static func outcome(_ convert: () throws(ImportError) -> [ImportedEvent]) -> Outcome {
        do throws(ImportError) {
            return .events(try convert())
        } catch {
            return .error(error.description)
        }
    }

    @Test(arguments: fixtures)
    func theScanAcceptsEveryFixtureAndGivesTheGeneralPathsEvents(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let scanned = try #require(StromaImporter(newImportID: ImportIDs().next).scannedEvents(from: bytes))
        let general = try StromaImporter(newImportID: ImportIDs().next).generalEvents(from: bytes)
        #expect(!scanned.isEmpty)
        #expect(scanned == general)
    }

    /// A document of every value shape the scan reads: escapes in strings, failures, null and non-null outputs,
    /// fractional durations, whitespace everywhere.
    @Test func theScanReadsEveryValueShapeAsTheGeneralPathDoes() throws {
        let document = """
             [ {"failure_message": "boom \\"quoted\\" \\u00e9\\ud834\\udd1e", "failure": "TERMINAL",
              "duration_ms": 0.25, "output_state": {"a": [1, {"b": null}], "s": "\\n"}, "input_state": {} ,
              "timestamp_utc": "2026-01-02T03:04:05.5+02:00", "attempt": 4294967295, "run_id": "r\\u00e9",
              "node_id": "n\\/1"} ,
            {"node_id": "m", "run_id": "r\\u00e9", "attempt": 1, "timestamp_utc": "2026-01-02T03:04:06+00:00",
             "input_state": {"deep": [[[]]]}, "output_state": null, "duration_ms": 1e2, "failure": null,
             "failure_message": null}]\t
            """
        let bytes = Array(document.utf8)
        let scanned = try #require(StromaImporter(newImportID: ImportIDs().next).scannedEvents(from: bytes))
        let general = try StromaImporter(newImportID: ImportIDs().next).generalEvents(from: bytes)
        #expect(scanned.count == 2)
        #expect(scanned == general)
    }

    /// Changes one byte damage cannot make: a key left out, one added, one repeated, one spelled with an escape.
    /// The scan must leave each to the general path, which names the problem.
    @Test func elementsWithMissingExtraRepeatedOrEscapedKeysAreLeftToTheGeneralPath() throws {
        let members = [
            "\"node_id\": \"n\"", "\"run_id\": \"r\"", "\"attempt\": 1",
            "\"timestamp_utc\": \"2026-01-02T03:04:05+00:00\"",
            "\"input_state\": {}", "\"output_state\": null", "\"duration_ms\": 1", "\"failure\": null",
            "\"failure_message\": null",
        ]
        var documents: [String] = []
        for index in members.indices {
            var without = members
            without.remove(at: index)
            documents.append("[{" + without.joined(separator: ", ") + "}]")
            documents.append("[{" + (members + [members[index]]).joined(separator: ", ") + "}]")
        }
        documents.append("[{" + (members + ["\"cost\": 1"]).joined(separator: ", ") + "}]")
        documents.append(
            "[{" + members.joined(separator: ", ").replacingOccurrences(of: "node_id", with: "node\\u005fid") + "}]")
        for document in documents {
            let bytes = Array(document.utf8)
            #expect(StromaImporter().scannedEvents(from: bytes) == nil, "\(document)")
            let importer = Self.outcome { () throws(ImportError) in
                try StromaImporter(newImportID: ImportIDs().next).events(from: bytes)
            }
            let general = Self.outcome { () throws(ImportError) in
                try StromaImporter(newImportID: ImportIDs().next).generalEvents(from: bytes)
            }
            #expect(importer == general, "\(document)")
        }
    }

    /// Every byte of each fixture (up to 600 per fixture, evenly spread) replaced by one of a few troublesome
    /// bytes, or dropped.
    @Test(arguments: fixtures)
    func damagedCopiesGiveWhatTheGeneralPathGives(name: String) throws {
        let original = try Fixture.bytes(name)
        let replacements: [UInt8?] = [nil, 0x22, 0x7D, 0x5D, 0x2C, 0x31, 0x5C, 0x6E, 0x20, 0xFF, 0x2D, 0x65]
        let step = max(1, original.count / 600)
        var accepted = 0
        for position in stride(from: 0, to: original.count, by: step) {
            for replacement in replacements where replacement != original[position] {
                var bytes = original
                if let replacement { bytes[position] = replacement } else { bytes.remove(at: position) }
                let importer = Self.outcome { () throws(ImportError) in
                    try StromaImporter(newImportID: ImportIDs().next).events(from: bytes)
                }
                let general = Self.outcome { () throws(ImportError) in
                    try StromaImporter(newImportID: ImportIDs().next).generalEvents(from: bytes)
                }
                if case .events = general { accepted += 1 }
                #expect(importer == general, "byte \(position) → \(replacement.map(String.init) ?? "dropped")")
            }
        }
        #expect(accepted > 0, "some damaged copies are still valid documents, and the scan must read them right")
    }
}
