import Testing

@testable import TraceLogStorage

@Suite struct RecordCodecTests {
    @Test(arguments: SampleRecords.records)
    func roundTripsEveryKind(record: Record) throws {
        var encoder = BinaryEncoder()
        RecordEncoder.encode(record, into: &encoder)
        #expect(encoder.count == RecordEncoder.encodedSize(record))
        #expect(encoder.count <= RecordEncoder.encodedSizeUpperBound(record))
        let (decoded, next) = try encoder.bytes.withUnsafeBytes { try RecordDecoder.decode($0, at: 0) }
        #expect(decoded == record)
        #expect(next == encoder.count)
    }

    /// Records around (a 959-byte payload makes 1,024 bytes) and far above the encoder's first room
    /// (``RecordEncoder/firstRoom``), which are encoded a second time into room for their size bound: whole,
    /// after what the encoder already holds, and decodable.
    @Test(arguments: [0, 900, 958, 959, 960, 961, 2_100, 100_000])
    func recordsLargerThanTheFirstRoomAreEncodedWhole(payloadBytes: Int) throws {
        let payload = RawJSON("\"" + String(repeating: "x", count: payloadBytes) + "\"")
        let record = Record(
            time: SampleRecords.time, traceID: SampleRecords.traceID,
            body: .triggerInstance(
                TriggerInstance(id: "ti-1", trigger: "core.st2.webhook", source: .webhook, payload: payload)))
        var encoder = BinaryEncoder()
        RecordEncoder.encode(SampleRecords.records[0], into: &encoder)
        let first = encoder.count
        RecordEncoder.encode(record, into: &encoder)
        #expect(encoder.count - first == RecordEncoder.encodedSize(record))
        if payloadBytes == 959 { #expect(encoder.count - first == RecordEncoder.firstRoom) }
        let (decoded, next) = try encoder.bytes.withUnsafeBytes { try RecordDecoder.decode($0, at: first) }
        #expect(decoded == record)
        #expect(next == encoder.count)
        let (earlier, _) = try encoder.bytes.withUnsafeBytes { try RecordDecoder.decode($0, at: 0) }
        #expect(earlier == SampleRecords.records[0])
    }

    @Test func indexFieldsAreReadableWithoutDecoding() throws {
        let record = SampleRecords.records[7]  // the execution attempt with every field
        var encoder = BinaryEncoder()
        RecordEncoder.encode(record, into: &encoder)
        encoder.bytes.withUnsafeBytes { raw in
            let view = RecordView(in: raw, at: 0)!
            #expect(view.kind == .executionAttempt)
            #expect(view.attempt == 3)
            #expect(view.failureByte == FailureClass.recoverable.rawValue)
            #expect(view.traceID == SampleRecords.traceID)
            #expect(view.time == record.time)
            #expect(view.field(.entityID).map { String(decoding: $0, as: UTF8.self) } == "ex-2")
            #expect(view.field(.runID).map { String(decoding: $0, as: UTF8.self) } == "run-7")
            #expect(view.field(.hook) == nil)
        }
    }

    @Test func truncatedOrReorderedBytesAreRejected() {
        var encoder = BinaryEncoder()
        RecordEncoder.encode(SampleRecords.records[3], into: &encoder)
        let bytes = encoder.bytes
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            let prefix = Array(bytes[..<cut])
            prefix.withUnsafeBytes { #expect(RecordView(in: $0, at: 0) == nil) }
        }
        var badKind = bytes
        badKind[RecordLayout.kindOffset] = 99
        badKind.withUnsafeBytes { #expect(RecordView(in: $0, at: 0) == nil) }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-22T10:00:00Z", Int64(1_795_341_600_000_000)),
        ("2026-11-22T10:00:00.123456Z", Int64(1_795_341_600_123_456)),
        ("2026-11-22T12:00:00.5+02:00", Int64(1_795_341_600_500_000)),
        ("2024-02-29T23:59:59.999999999Z", Int64(1_709_251_199_999_999)),
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1969-12-31T23:59:59.000001Z", Int64(-999_999)),
    ])
    func parsesRFC3339(text: String, micros: Int64) {
        #expect(Timestamp(rfc3339: text)?.microseconds == micros)
    }

    @Test(arguments: [
        "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00Zjunk", "", "2026-11-22T10:00:00+0200",
    ])
    func rejectsWhatIsNotRFC3339(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func formatsWithSixDigitsAndRoundTrips() {
        let stamp = Timestamp(microseconds: 1_795_341_600_000_123)
        #expect(stamp.description == "2026-11-22T10:00:00.000123Z")
        #expect(stamp.rfc3339(zoneSuffix: "+00:00") == "2026-11-22T10:00:00.000123+00:00")
        for micros in stride(from: Int64(-90_000_000_000_000), to: 4_000_000_000_000_000, by: 97_654_321_987_654) {
            #expect(Timestamp(rfc3339: Timestamp(microseconds: micros).description)?.microseconds == micros)
        }
    }
}

@Suite struct TraceIDTests {
    @Test func parsesAndPrintsHex() {
        let id = TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(id?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceID(hex: "00000000000000000000000000000000") == nil)
        #expect(TraceID(hex: "4BF92F3577B34DA6A3CE929D0E0E4736") == nil)
        #expect(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e473") == nil)
        #expect(TraceID.random() != TraceID.random())
        #expect(TraceID(hex: TraceID.random().description) != nil)
    }
}

/// The `otlp` field (tag 19), added after format version 1 shipped.
@Suite struct RecordCodecOTLPFieldTests {
    static let attempt = ExecutionAttempt(
        id: "00f067aa0ba902b7", action: "GET /orders", status: "succeeded", durationMs: 2.5,
        causedBy: EntityRef(type: .execution, id: "53995c3f42cd8ad8"),
        otlp: RawJSON(#"{"scopeSpans":[{"spans":[{"kind":2,"startTimeUnixNano":"1795000000123456789"}]}]}"#))

    @Test func anAttemptWithTheFieldRoundTripsAndTheFieldComesLast() throws {
        let record = Record(
            time: SampleRecords.time, traceID: SampleRecords.traceID, body: .executionAttempt(Self.attempt))
        var encoder = BinaryEncoder()
        RecordEncoder.encode(record, into: &encoder)
        #expect(encoder.count <= RecordEncoder.encodedSizeUpperBound(record))
        let (decoded, _) = try encoder.bytes.withUnsafeBytes { try RecordDecoder.decode($0, at: 0) }
        #expect(decoded == record)
        encoder.bytes.withUnsafeBytes { raw in
            var tags: [UInt8] = []
            RecordView(in: raw, at: 0)!.forEachField { tag, _ in tags.append(tag) }
            #expect(tags.last == FieldTag.otlp.rawValue)
        }
    }

    @Test func withoutTheFieldAnAttemptEncodesExactlyAsBefore() {
        var plain = Self.attempt
        plain.otlp = nil
        let withField = Record(
            time: SampleRecords.time, traceID: SampleRecords.traceID, body: .executionAttempt(Self.attempt))
        let without = Record(time: SampleRecords.time, traceID: SampleRecords.traceID, body: .executionAttempt(plain))
        var first = BinaryEncoder()
        RecordEncoder.encode(withField, into: &first)
        var second = BinaryEncoder()
        RecordEncoder.encode(without, into: &second)
        // The same bytes up to the field, whose tag, length and text follow; the length prefix differs accordingly.
        let text = Array(Self.attempt.otlp!.text.utf8)
        #expect(Array(first.bytes[4..<second.count]) == Array(second.bytes[4...]))
        #expect(Array(first.bytes.suffix(text.count)) == text)
        #expect(first.count == second.count + 1 + 1 + text.count)
    }
}

/// Random trace ids come from a pool refilled from the kernel: every id is fresh, across many refills.
@Suite struct SecureRandomPoolTests {
    @Test func idsAcrossManyRefillsAreNonZeroAndDistinct() {
        let count = 20_000  // about 80 refills of 256 ids
        let ids = Set((0..<count).map { _ in TraceID.random() })
        #expect(ids.count == count)
        #expect(!ids.contains(TraceID(high: 0, low: 0)))
    }

    @Test func concurrentCallersNeverShareAnId() async {
        let ids = await withTaskGroup(of: [TraceID].self) { group in
            for _ in 0..<4 { group.addTask { (0..<2_000).map { _ in TraceID.random() } } }
            var all: [TraceID] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(ids).count == ids.count)
    }
}
