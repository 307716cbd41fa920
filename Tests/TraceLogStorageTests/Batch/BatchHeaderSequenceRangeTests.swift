import Foundation
import Testing

@testable import TraceLogStorage

/// A batch header whose base sequence number plus record count passes 2^64 (found by the batch fuzz target,
/// `tools/fuzz/Corpus/batch/regression-sequence-overflow.bin`): its checksum can be right, so only a check of
/// the range keeps the scanner's `endSeq` from trapping.
@Suite struct BatchHeaderSequenceRangeTests {
    static func headerBytes(baseSeq: UInt64, recordCount: UInt32) -> [UInt8] {
        var encoder = BinaryEncoder()
        BatchHeader(
            codec: .lz4, baseSeq: baseSeq, recordCount: recordCount, uncompressedLength: recordCount * 64,
            storedLength: 16, minTime: 0, maxTime: 0, payloadChecksum: 0
        ).encode(into: &encoder)
        return encoder.bytes
    }

    @Test func aSequenceRangePastTheLargestSeqIsRejected() {
        let bytes = Self.headerBytes(baseSeq: UInt64.max - 1, recordCount: 3)
        #expect(bytes.withUnsafeBytes { BatchHeader.decode($0) } == .failure(.sequenceOverflow))
    }

    @Test func aSequenceRangeEndingAtTheLargestSeqIsAccepted() throws {
        let bytes = Self.headerBytes(baseSeq: UInt64.max - 3, recordCount: 3)
        let header = try bytes.withUnsafeBytes { BatchHeader.decode($0) }.get()
        #expect(header.endSeq == UInt64.max)
    }

    @Test func aReaderTreatsSuchABatchAsDamageInsteadOfTrapping() throws {
        let baseSeq = UInt64.max - 1
        var builder = BatchBuilder(targetBytes: 1 << 16)
        for record in SampleRecords.records.prefix(3) { builder.add(record) }
        var bytes = SegmentHeader(baseSeq: baseSeq, createdAt: 0).encoded()
        builder.seal(baseSeq: baseSeq) { _, framed in bytes += Array(framed) }
        let directory = TemporaryDirectory()
        try Data(bytes).write(to: URL(fileURLWithPath: directory.file(SegmentName.segment(baseSeq: baseSeq))))
        let reader = try LogReader(directory: directory.path)
        #expect(reader.endSeq == baseSeq)
        #expect(throws: LogError.self) { try reader.record(at: baseSeq) }
    }
}
