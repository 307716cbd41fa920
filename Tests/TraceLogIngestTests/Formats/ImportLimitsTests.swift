import Testing
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// What an importer stores must come back through `tracelog replay | tracelog ingest`: its values nest no deeper,
/// and its elements are no longer, than a native line may.
@Suite("Import limits match the native format's")
struct ImportLimitsTests {
    /// `k` nested arrays: `[[…]]`.
    static func nested(_ levels: Int) -> String {
        String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    }

    /// A Selinon JSON-sink line whose `details` (level 2, as in a native line) holds `levels` nested arrays.
    static func selinonLine(_ levels: Int) -> [UInt8] {
        let details = #"{"dispatcher_id":"d-1","flow_name":"f","x":\#(nested(levels))}"#
        return Array(#"{"details":\#(details),"event":"FLOW_START","node":"h","time":"2026-01-01 00:00:00"}"#.utf8)
    }

    /// A Stroma document whose one `input_state` (level 3: array, element, object) holds `levels` nested arrays.
    static func stromaDocument(_ levels: Int, padding: Int = 0) -> [UInt8] {
        let input = #"{"x":\#(nested(levels)),"pad":"\#(String(repeating: "p", count: padding))"}"#
        return Array(
            #"[{"node_id":"n","run_id":"r","attempt":1,"timestamp_utc":"2026-01-01T00:00:00+00:00","input_state":\#(input),"output_state":null,"duration_ms":1,"failure":null,"failure_message":null}]"#
                .utf8)
    }

    /// Every converted event, written as a native line the way `tracelog replay` prints it, parses again.
    static func expectReplayable(_ events: [ImportedEvent]) throws {
        let traceID = TraceID.random()
        for event in events {
            let record = Record(
                time: event.event.time ?? Timestamp(microseconds: 0), traceID: traceID, body: event.event.body)
            let line = NativeEventWriter().line(for: record)
            #expect(throws: Never.self) { try NativeEventParser().parse(line: Array(line.utf8), lineNumber: 1) }
        }
    }

    @Test("Selinon details may nest as deep as a native line allows, and no deeper")
    func selinonDepth() throws {
        // The line is level 1 and `details` level 2: 62 more levels reach the native limit of 64.
        var importer = SelinonImporter()
        try Self.expectReplayable(try importer.events(fromLine: Self.selinonLine(62), number: 1))
        #expect(throws: ImportError.self) { try importer.events(fromLine: Self.selinonLine(63), number: 2) }
        do {
            _ = try importer.events(fromLine: Self.selinonLine(63), number: 2)
        } catch {
            #expect(error.description.hasSuffix("nesting deeper than 64 levels"))
        }
    }

    @Test("a Stroma input_state may nest as deep as a native line's input, and no deeper")
    func stromaDepth() throws {
        // The array and the element add two levels where a native line adds one.
        try Self.expectReplayable(try StromaImporter().events(from: Self.stromaDocument(62)))
        do {
            _ = try StromaImporter().events(from: Self.stromaDocument(63))
            Issue.record("63 levels below input_state were accepted")
        } catch {
            #expect(error.description.hasSuffix("nesting deeper than 65 levels"))
        }
    }

    @Test("an element longer than the line limit is rejected by its index")
    func elementLength() throws {
        #expect(StromaImporter().maximumElementLength == JSONLinesReader.defaultMaximumLineLength)
        #expect(StackStormImporter().maximumElementLength == JSONLinesReader.defaultMaximumLineLength)
        let document = Self.stromaDocument(1, padding: 300)
        let length = document.count - 2  // the element alone: the document less its brackets
        #expect(throws: Never.self) { try StromaImporter(maximumElementLength: length).events(from: document) }
        let limit = length - 1
        do {
            _ = try StromaImporter(maximumElementLength: limit).events(from: document)
            Issue.record("an element over the limit was accepted")
        } catch {
            #expect(error.description == "element 0: longer than the limit of \(limit) bytes")
        }
        let trace = #"{"trace_tag":"\#(String(repeating: "t", count: 300))","start_timestamp":"2026-01-01T00:00:00Z"}"#
        let traces = Array("[\(trace), \(trace)]".utf8)
        do {
            _ = try StackStormImporter(maximumElementLength: 300).events(from: traces)
            Issue.record("a trace object over the limit was accepted")
        } catch {
            #expect(error.description == "element 0: longer than the limit of 300 bytes")
        }
    }
}
