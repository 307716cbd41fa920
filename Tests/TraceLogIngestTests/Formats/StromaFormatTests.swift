import Testing
import TraceLog
import TraceLogStorage

@testable import TraceLogIngest

/// The pieces of Stroma's format: Python's float and string spelling, `isoformat()`, and import errors.
@Suite("Stroma format details")
struct StromaFormatTests {
    /// `(value, repr(value))` as CPython 3.12 prints them.
    static let floats: [(Double, String)] = [
        (0.1, "0.1"), (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (-2.0, "-2.0"), (-0.0, "-0.0"), (0.0, "0.0"), (.leastNonzeroMagnitude, "5e-324"), (1.5e300, "1.5e+300"),
        (0.30000000000000004, "0.30000000000000004"), (123456789.125, "123456789.125"), (1.5e-07, "1.5e-07"),
        (0.03333333333333333, "0.03333333333333333"), (12345678901234567.0, "1.2345678901234568e+16"),
        (.infinity, "Infinity"), (-.infinity, "-Infinity"),
    ]

    @Test("floats are spelled as Python's repr", arguments: floats)
    func floatRepr(value: Double, python: String) {
        #expect(PythonJSON.floatRepr(value) == python)
    }

    @Test("strings are escaped as Python's ensure_ascii encoder does")
    func stringEscapes() {
        var output = PythonJSON()
        output.appendString("café \"q\" \\ \t\n\r\u{8}\u{C}\u{0}\u{1F}\u{7F}\u{2028}☃𝄞/")
        #expect(output.text == #""caf\u00e9 \"q\" \\ \t\n\r\b\f\u0000\u001f\u007f\u2028\u2603\ud834\udd1e/""#)
    }

    @Test("raw values are re-serialized in Python's style whatever their spelling")
    func reserialize() throws {
        let source = Array(#"{ "b" :[1,2.50, -0, 1E2,{}, [] ,null,true], "a":"\u00E9x", "b2": {"k":1,"k":2} }"#.utf8)
        var output = PythonJSON()
        output.append(try SourceJSONParser.parse(source))
        #expect(output.text == #"{"b": [1, 2.5, 0, 100.0, {}, [], null, true], "a": "\u00e9x", "b2": {"k": 2}}"#)
    }

    @Test("timestamps are datetime.isoformat() in UTC")
    func isoformat() throws {
        let whole = try #require(Timestamp(rfc3339: "2026-01-02T03:04:05Z"))
        #expect(StromaExporter.isoformat(whole) == "2026-01-02T03:04:05+00:00")
        let fraction = try #require(Timestamp(rfc3339: "2026-01-02T03:04:06.00012Z"))
        #expect(StromaExporter.isoformat(fraction) == "2026-01-02T03:04:06.000120+00:00")
    }

    static let badInputs: [(String, String)] = [
        ("{}", "input: expected a JSON array (Stroma's to_json), got an object"),
        ("[1]", "element 0: expected an object, got a number"),
        ("[{\"node_id\": \"n\"}]", "element 0: field \"run_id\": missing"),
        ("[\(element(attempt: "0"))]", "element 0: field \"attempt\": expected an integer in 1...4294967295, got 0"),
        (
            "[\(element(failure: "\"FATAL\""))]",
            "element 0: field \"failure\": expected RECOVERABLE, TERMINAL, AMBIGUOUS or null, got \"FATAL\""
        ),
        ("[\(element()), \(element(extra: ", \"cost\": 1"))]", "element 1: field \"cost\": unknown key"),
        (
            "[\(element(time: "\"yesterday\""))]",
            "element 0: field \"timestamp_utc\": expected an RFC 3339 time, got \"yesterday\""
        ),
        ("[\(element(output: "[1]"))]", "element 0: field \"output_state\": expected an object or null, got an array"),
        ("[\n{\"node_id\": }]", "input: line 2, column 13: invalid JSON: expected a value, got '}'"),
        // Invalid JSON after a bad element is what the document is rejected for (it is parsed element by element).
        ("[{\"node_id\": \"n\"},\n{\"x\": }]", "input: line 2, column 7: invalid JSON: expected a value, got '}'"),
    ]

    @Test("bad input is rejected naming the element and the field", arguments: badInputs)
    func errors(input: String, message: String) {
        #expect(throws: ImportError.self) { try StromaImporter().events(from: Array(input.utf8)) }
        do {
            _ = try StromaImporter().events(from: Array(input.utf8))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("attempts map to executions <run>.<node>#<import id> in one trace per run")
    func mapping() throws {
        let input =
            "[\(Self.element(node: "a")), \(Self.element(node: "b")), \(Self.element(node: "b", attempt: "2")), \(Self.element(node: "a", run: "r2"))]"
        let counter = ImportIDs()
        let events = try StromaImporter(newImportID: counter.next).events(from: Array(input.utf8)).map(\.event)
        let attempts = events.compactMap { event -> ExecutionAttempt? in
            if case .executionAttempt(let attempt) = event.body { return attempt }
            return nil
        }
        #expect(attempts.map(\.id) == ["r1.a#i1", "r1.b#i1", "r1.b#i1", "r2.a#i2"], "one import id per run")
        #expect(events.map(\.trace?.tag) == ["run-r1", nil, nil, "run-r2"])
        #expect(attempts.map(\.causedBy?.id) == [nil, "r1.a#i1", "r1.a#i1", nil])
        #expect(attempts.map(\.status) == ["succeeded", "succeeded", "succeeded", "succeeded"])
    }

    static func element(
        node: String = "n", run: String = "r1", attempt: String = "1", time: String = "\"2026-01-02T03:04:05+00:00\"",
        output: String = "null", failure: String = "null", extra: String = ""
    ) -> String {
        "{\"node_id\": \"\(node)\", \"run_id\": \"\(run)\", \"attempt\": \(attempt), \"timestamp_utc\": \(time), "
            + "\"input_state\": {}, \"output_state\": \(output), \"duration_ms\": 1, \"failure\": \(failure), "
            + "\"failure_message\": null\(extra)}"
    }
}

/// Predictable import ids: `i1`, `i2`, …
final class ImportIDs: @unchecked Sendable {
    private var count = 0
    func next() -> String {
        count += 1
        return "i\(count)"
    }
}
