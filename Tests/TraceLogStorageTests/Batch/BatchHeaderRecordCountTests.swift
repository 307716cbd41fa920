import Testing

@testable import TraceLogStorage

/// A batch header claiming more records than its payload can hold (found by the batch fuzz target,
/// `tools/fuzz/Corpus/batch/regression-record-count.bin`): decoding the payload reserved room for every claimed
/// record first, 8 GB for this one, so the header is now rejected before anything is allocated.
@Suite struct BatchHeaderRecordCountTests {
    static func decode(recordCount: UInt32, uncompressedLength: UInt32) -> Result<BatchHeader, BatchHeader.Problem> {
        var encoder = BinaryEncoder()
        BatchHeader(
            codec: .lz4, baseSeq: 7, recordCount: recordCount, uncompressedLength: uncompressedLength,
            storedLength: 16, minTime: 0, maxTime: 0, payloadChecksum: 0
        ).encode(into: &encoder)
        return encoder.bytes.withUnsafeBytes { BatchHeader.decode($0) }
    }

    @Test func theFuzzersHeaderIsRejected() {
        #expect(Self.decode(recordCount: 0x7E00_000E, uncompressedLength: 1154) == .failure(.implausibleLengths))
    }

    @Test func aCountThatFitsTheSmallestRecordsIsAccepted() throws {
        let size = UInt32(RecordLayout.fixedSize)
        #expect(try Self.decode(recordCount: 32, uncompressedLength: 32 * size).get().recordCount == 32)
        #expect(Self.decode(recordCount: 33, uncompressedLength: 32 * size) == .failure(.implausibleLengths))
    }

    @Test func theSmallestRealRecordIsNoSmallerThanTheFixedPart() {
        let records =
            SampleRecords.records + [
                Record(
                    time: SampleRecords.time, traceID: SampleRecords.traceID,
                    body: .flowEvent(FlowEvent(event: "", details: RawJSON(""))))
            ]
        #expect(records.allSatisfy { RecordEncoder.encodedSize($0) >= RecordLayout.fixedSize })
    }
}
