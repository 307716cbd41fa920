import Foundation
import Testing

@testable import TraceLogStorage

/// Freezes the on-disk format: a committed segment file must decode to exactly these records, and encoding
/// these records must give exactly its header and record bytes.
///
/// Regenerate (only for a deliberate format change, with a new format version):
/// `TRACELOG_UPDATE_GOLDEN=1 swift test --filter GoldenSegmentTests`.
@Suite struct GoldenSegmentTests {
    static let createdAt: Int64 = 1_795_000_000_000_000
    static let segmentName = SegmentName.segment(baseSeq: 0)

    /// The golden content: every sample record in a compressible LZ4 batch, then one incompressible stored batch.
    static func goldenBatches() -> [[Record]] {
        let noise = (0..<40).map { index in String(UInt64(index) &* 0x9E37_79B9_7F4A_7C15, radix: 36) }.joined()
        let stored = Record(
            time: SampleRecords.time, traceID: SampleRecords.traceID,
            body: .flowEvent(FlowEvent(event: "STORAGE_STORED", details: RawJSON("\"\(noise)\""))))
        return [SampleRecords.records + SampleRecords.records, [stored]]
    }

    static func encodeGoldenSegment() -> [UInt8] {
        var bytes = SegmentHeader(baseSeq: 0, createdAt: createdAt).encoded()
        var builder = BatchBuilder(targetBytes: 1 << 20)
        var seq: UInt64 = 0
        for batch in goldenBatches() {
            for record in batch { builder.add(record) }
            builder.seal(baseSeq: seq) { header, framed in
                bytes += Array(framed)
                seq = header.endSeq
            }
        }
        return bytes
    }

    static var goldenURL: URL {
        Bundle.module.url(forResource: "Files", withExtension: nil)!.appendingPathComponent(segmentName)
    }

    @Test func theGoldenSegmentDecodesToTheExpectedRecords() throws {
        if ProcessInfo.processInfo.environment["TRACELOG_UPDATE_GOLDEN"] == "1" {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Files").appendingPathComponent(Self.segmentName)
            try Data(Self.encodeGoldenSegment()).write(to: source)
        }
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.goldenURL.path, toPath: directory.file(Self.segmentName))
        let stored = try LogTestSupport.readAll(directory.path)
        let expected = Self.goldenBatches().flatMap { $0 }
        #expect(stored.map(\.record) == expected)
        #expect(stored.map(\.seq) == Array(0..<UInt64(expected.count)))
        let batches = try LogTestSupport.batches(directory.path)[0].batches
        #expect(batches.count == 2)
        #expect(batches.map(\.offset) == [32, batches[0].offset + Int64(batches[0].length)])
    }

    @Test func encodingTheGoldenRecordsGivesTheGoldenBytes() throws {
        let golden = [UInt8](try Data(contentsOf: Self.goldenURL))
        let encoded = Self.encodeGoldenSegment()
        // Segment header, both batch headers' fixed fields, the stored batch and every record byte must match.
        // The LZ4 bytes themselves may legitimately differ with another liblz4 version, so the compressed
        // batch is compared after decompression.
        #expect(Array(golden[0..<SegmentHeader.size]) == Array(encoded[0..<SegmentHeader.size]))
        let goldenBatches = try decodeBatches(golden)
        let encodedBatches = try decodeBatches(encoded)
        #expect(goldenBatches.map(\.0.baseSeq) == encodedBatches.map(\.0.baseSeq))
        #expect(goldenBatches.map(\.0.recordCount) == encodedBatches.map(\.0.recordCount))
        #expect(goldenBatches.map(\.0.codec) == [.lz4, .stored])
        #expect(goldenBatches.map(\.1) == encodedBatches.map(\.1))
        #expect(
            golden.suffix(Int(goldenBatches[1].0.totalLength)) == encoded.suffix(Int(encodedBatches[1].0.totalLength)))
    }

    private func decodeBatches(_ bytes: [UInt8]) throws -> [(BatchHeader, [UInt8])] {
        try bytes.withUnsafeBytes { raw in
            var offset = SegmentHeader.size
            var result: [(BatchHeader, [UInt8])] = []
            while offset < raw.count {
                let header = try BatchHeader.decode(UnsafeRawBufferPointer(rebasing: raw[offset...])).get()
                let stored = UnsafeRawBufferPointer(
                    rebasing: raw[offset + BatchHeader.size..<offset + header.totalLength])
                let payload = try BatchPayload.decode(header: header, stored: stored).get()
                result.append((header, payload.bytes))
                offset += header.totalLength
            }
            return result
        }
    }
}
