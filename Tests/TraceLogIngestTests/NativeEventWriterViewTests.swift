import Testing
import TraceLog

@testable import TraceLogIngest
@testable import TraceLogStorage

/// `replay` writes native lines from zero-copy record views: the same bytes as from decoded records, for every
/// kind, awkward strings, raw JSON, numbers and times, and the same refusals for records that do not decode.
@Suite struct NativeEventWriterViewTests {
    private static let traceID = TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!

    /// Calls `body` with the view of each record, encoded back to back as in a batch.
    private static func withViews(_ records: [Record], _ body: (Int, RecordView) throws -> Void) rethrows {
        var encoder = BinaryEncoder()
        var offsets: [Int] = []
        for record in records {
            offsets.append(encoder.count)
            RecordEncoder.encode(record, into: &encoder)
        }
        try encoder.bytes.withUnsafeBytes { raw in
            for (index, offset) in offsets.enumerated() { try body(index, RecordView(in: raw, at: offset)!) }
        }
    }

    private static func expectSameLines(_ records: [Record]) throws {
        try withViews(records) { index, view in
            var fromRecord: [UInt8] = []
            NativeEventWriter().append(records[index], to: &fromRecord)
            var fromView: [UInt8] = []
            try NativeEventWriter().append(view, to: &fromView)
            #expect(
                String(decoding: fromView, as: UTF8.self) == String(decoding: fromRecord, as: UTF8.self),
                "record \(index)")
            #expect(fromView == fromRecord)
        }
    }

    @Test func everyKindAndAwkwardValuesGiveTheSameLine() throws {
        let awkward = [
            "", "plain", "line\nbreak", "quote\"inside", "back\\slash", "tab\there", "\u{01}\u{1F}\u{7F}", "é café",
            "日本語", "🚀 rocket", "\u{2028}", "\u{0}nul", String(repeating: "long ", count: 40),
        ]
        var records: [Record] = []
        for (number, text) in awkward.enumerated() {
            let time = Timestamp(microseconds: 1_795_341_600_004_000 + Int64(number) * 1_000_001)
            records += [
                Record(time: time, traceID: Self.traceID, body: .traceStart(TraceStart(tag: text))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .traceStart(TraceStart(tag: "t", origin: EntityRef(type: .triggerInstance, id: text)))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .triggerInstance(
                        TriggerInstance(
                            id: text, trigger: "core.\(text)", source: .webhook,
                            payload: RawJSON("{\"a\":\n[1, \"\(text.count)\"],\r\n\"b\": \"é\"}"),
                            causedBy: EntityRef(type: .execution, id: text), hook: text, timer: text))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .ruleEnforcement(
                        RuleEnforcement(
                            id: text, ruleID: text, ruleRef: text, triggerInstanceID: text, executionID: text,
                            causedBy: EntityRef(type: .triggerInstance, id: text)))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .executionAttempt(
                        ExecutionAttempt(
                            id: text, action: text, runID: text, attempt: UInt32(number), status: text, parent: text,
                            rerunOf: text, input: RawJSON("\"\(text.count)\""), output: RawJSON("null"),
                            durationMs: [1500, 0.25, -3, 1e300, .nan, .infinity, 9_007_199_254_740_994][number % 7],
                            failure: FailureClass(rawValue: UInt8(number % 4)), failureMessage: text,
                            causedBy: number % 2 == 0 ? nil : EntityRef(type: .rule, id: text),
                            // An OTLP span's remainder on every other attempt (`ingest --format otlp`).
                            otlp: number % 2 == 0
                                ? RawJSON("{\"scopeSpans\":[{\"spans\":[{\"kind\":\(number)}]}]}") : nil))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .causationLink(
                        CausationLink(
                            entity: EntityRef(type: .execution, id: text), causedBy: EntityRef(type: .rule, id: text)))),
                Record(
                    time: time, traceID: Self.traceID,
                    body: .flowEvent(
                        FlowEvent(
                            event: "TASK_START", entityID: number % 2 == 0 ? nil : text, node: text,
                            details: RawJSON("{\"x\": \"\(text.count)\"}")))),
            ]
        }
        try Self.expectSameLines(records)
    }

    @Test func timesFarFromNowAndOddDurationsGiveTheSameLine() throws {
        let times: [Int64] = [
            0, -1, 1, 253_402_300_799_999_999, 253_402_300_800_000_000, -62_135_596_800_000_000,
            -62_135_596_800_000_001,
            .max, .min,
        ]
        let records = times.map { micros in
            Record(
                time: Timestamp(microseconds: micros), traceID: Self.traceID,
                body: .executionAttempt(ExecutionAttempt(id: "e", action: "a", durationMs: Double(micros))))
        }
        try Self.expectSameLines(records)
    }

    @Test func selinonFixtureRecordsGiveTheSameLines() throws {
        // Real Selinon lines: flow events with the `details` objects the real tool printed, byte for byte.
        var records: [Record] = []
        for (number, text) in try Fixture.lines("selinon-all-events.jsonl") {
            let line = try SelinonLine.parse(Array(text.utf8), lineNumber: number)
            records.append(
                Record(
                    time: line.time, traceID: Self.traceID,
                    body: .flowEvent(
                        FlowEvent(
                            event: line.event, entityID: "d-\(number)", node: line.host,
                            details: RawJSON(line.detailsText)))))
        }
        #expect(records.count > 50)
        try Self.expectSameLines(records)
    }

    @Test func invalidUTF8IsRepairedAsDecodingRepairsIt() throws {
        // A field with bytes that are not UTF-8: decoding makes a String of it (U+FFFD for each bad sequence);
        // the view path must print the same.
        var encoder = BinaryEncoder()
        RecordEncoder.encode(
            Record(
                time: Timestamp(microseconds: 5), traceID: Self.traceID,
                body: .executionAttempt(ExecutionAttempt(id: "ABCD", action: "xyz", input: RawJSON("\"QRS\"")))),
            into: &encoder)
        var bytes = encoder.bytes
        for (from, to) in [
            ("ABCD", [0xC3, 0x28, 0xED, 0xA0]), ("xyz", [0xF4, 0x90, 0x80]), ("QRS", [0xE0, 0x80, 0xFF]),
        ] {
            let pattern = Array(from.utf8)
            let start = (0...bytes.count - pattern.count).first { Array(bytes[$0..<$0 + pattern.count]) == pattern }!
            bytes.replaceSubrange(start..<start + to.count, with: to.map(UInt8.init))
        }
        try bytes.withUnsafeBytes { raw in
            let view = try #require(RecordView(in: raw, at: 0))
            var fromRecord: [UInt8] = []
            NativeEventWriter().append(try view.record(), to: &fromRecord)
            var fromView: [UInt8] = []
            try NativeEventWriter().append(view, to: &fromView)
            #expect(fromView == fromRecord)
            #expect(String(decoding: fromView, as: UTF8.self).contains("\u{FFFD}"))
        }
    }

    @Test func aRecordThatDoesNotDecodeIsRefusedForTheSameReasonAndWritesNothing() throws {
        // An execution attempt without its action (field 3), built by hand.
        var encoder = BinaryEncoder()
        RecordEncoder.encode(
            Record(
                time: Timestamp(microseconds: 5), traceID: Self.traceID,
                body: .executionAttempt(ExecutionAttempt(id: "e", action: "a"))),
            into: &encoder)
        var bytes = encoder.bytes
        // Fields start at 36: entity id (tag 1, length 1, "e"), then ref (tag 3, length 1, "a"): drop the ref.
        #expect(bytes[39] == 3)
        bytes.removeSubrange(39..<42)
        bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: UInt32(bytes.count - 4).littleEndian) { Array($0) })
        try bytes.withUnsafeBytes { raw in
            let view = try #require(RecordView(in: raw, at: 0))
            let decoding = #expect(throws: RecordDecodingError.self) { try view.record() }
            var buffer: [UInt8] = Array("kept\n".utf8)
            let writing = #expect(throws: RecordDecodingError.self) {
                try NativeEventWriter().append(view, to: &buffer)
            }
            #expect(decoding?.reason == "missing field ref" && writing?.reason == decoding?.reason)
            #expect(buffer == Array("kept\n".utf8))
            #expect(throws: RecordDecodingError.self) { try view.validate() }
        }
    }

    /// The view writer spells stored enums from static text; each must be the enum's own `name`.
    @Test func staticSpellingsAreTheNames() {
        for type in EntityType.allCases { #expect("\(type.wireName)" == type.name) }
        for failure in FailureClass.allCases { #expect("\(failure.wireName)" == failure.name) }
        for source in TriggerSource.allCases { #expect("\(source.wireName)" == source.name) }
    }

    /// Strings and raw values are scanned 8 bytes at a time: escapes, line breaks and non-ASCII bytes at every
    /// position of a word, and lengths around the word size, give the same bytes as from the record.
    @Test func escapesAtEveryWordPositionGiveTheSameLine() throws {
        var records: [Record] = []
        let specials = ["\"", "\\", "\n", "\r", "\u{01}", "é", "日", "🚀", "\u{7F}", " "]
        for length in 0...17 {
            for special in specials {
                for position in 0...length {
                    var text = String(repeating: "a", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    let time = Timestamp(microseconds: 1_795_341_600_004_000 + Int64(records.count))
                    records.append(
                        Record(
                            time: time, traceID: Self.traceID,
                            body: .flowEvent(
                                FlowEvent(
                                    event: text, entityID: text, node: text,
                                    // Raw values copy non-ASCII bytes and turn line breaks into spaces.
                                    details: RawJSON(
                                        ["\"", "\\", "\u{01}", "\u{7F}"].contains(special)
                                            ? "{\"k\":\n\"\(text.count)\"\r,\"v\":[\(length)]}" : "[\"\(text)\"]")))))
                }
            }
        }
        try Self.expectSameLines(records)
    }
}
