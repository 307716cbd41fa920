import Testing
import TraceLogStorage

@testable import TraceLogIngest

@Suite struct RFC3339BytesTests {
    /// Valid and invalid texts: the byte parser must agree with `Timestamp(rfc3339:)` on every one.
    static let texts = [
        "2026-11-22T10:00:00Z", "2026-11-22T10:00:00.123456Z", "2026-11-22T10:00:00.1234567891Z",
        "2026-11-22T10:00:00.1Z", "2026-11-22t10:00:00z", "2026-11-22 10:00:00Z", "2026-11-22T10:00:00+02:00",
        "2026-11-22T10:00:00.5-05:30", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:60Z", "2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z", "2026-11-22T10:00:61Z", "2026-11-22T10:00:00",
        "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+2:00", "2026-11-22T10:00:00+24:00", "2026-11-22T10:00:00+02:60",
        "2026-11-22T10:00:00+0200", "2026-11-22T10:00:00ZZ", "2026-11-22X10:00:00Z", "26-11-22T10:00:00Z",
        "2026-1-22T10:00:00Z", "2026-11-22T10:00Z", "", "Z", "yesterday", "2026-11-22T10:00:00.123456Z ",
        " 2026-11-22T10:00:00Z", "2026-11-22T10:00:0aZ", "２０２６-11-22T10:00:00Z", "2026-11-22T10:00:00.12a4Z",
        "2026-11-22T10:00:00-00:00", "2026-11-22T10:00:00.000001+14:00",
    ]

    @Test(arguments: texts)
    func agreesWithTimestampParsing(text: String) {
        var copy = text
        let fromBytes = copy.withUTF8 { Timestamp(rfc3339Bytes: UnsafeRawBufferPointer($0)) }
        #expect(fromBytes == Timestamp(rfc3339: text))
    }

    @Test func readsMicrosecondsAndOffsets() {
        var text = "2026-11-22T12:00:00.000004+02:00"
        let value = text.withUTF8 { Timestamp(rfc3339Bytes: UnsafeRawBufferPointer($0)) }
        #expect(value?.description == "2026-11-22T10:00:00.000004Z")
    }
}
