import Testing

@testable import TraceLogStorage

/// Point lookups decode only the prefix of a batch they need: the records handed out are those of a whole
/// read, a short prefix is read again when a later record is wanted, and the checksum still covers everything.
@Suite struct BatchPrefixTests {
    /// One LZ4 batch of 120 numbered records, as the writer frames it.
    private static func batch() -> (header: BatchHeader, stored: [UInt8]) {
        var builder = BatchBuilder(targetBytes: 1 << 20)
        for record in SampleRecords.numbered(120) { builder.add(record) }
        return builder.seal(baseSeq: 1000) { header, framed in (header, Array(framed[BatchHeader.size...])) }
    }

    @Test func everyPrefixHoldsTheRecordsOfAWholeRead() throws {
        let (header, stored) = Self.batch()
        #expect(header.codec == .lz4)
        let whole = try stored.withUnsafeBytes { try BatchPayload.decode(header: header, stored: $0).get() }
        #expect(whole.isComplete && whole.count == 120)
        var shorter = 0
        for wanted in 1...120 {
            let prefix = try stored.withUnsafeBytes {
                try BatchPayload.decodePrefix(header: header, stored: $0, records: wanted).get()
            }
            #expect(prefix.count >= wanted)
            if prefix.count < 120 { shorter += 1 }
            for index in 0..<prefix.count { #expect(try prefix.record(at: index) == whole.record(at: index)) }
        }
        #expect(shorter > 60, "most prefixes decode less than the whole batch (\(shorter) of 120)")
    }

    @Test func aDamagedPayloadFailsItsChecksumWhateverThePrefix() {
        let (header, batchBytes) = Self.batch()
        var stored = batchBytes
        stored[stored.count - 3] ^= 0x40  // past any prefix the first records need
        let outcome = stored.withUnsafeBytes { BatchPayload.decodePrefix(header: header, stored: $0, records: 2) }
        guard case .failure(let problem) = outcome else {
            Issue.record("a damaged payload was accepted")
            return
        }
        #expect(problem == .payloadChecksum)
    }

    @Test func aCachedPrefixIsReadAgainForALaterRecord() throws {
        let directory = TemporaryDirectory()
        let records = SampleRecords.numbered(200)
        let writer = try LogWriter.open(
            directory: directory.path, options: LogOptions(durability: .none, batchTargetBytes: 64 << 10))
        try writer.appendWritten(records)
        try writer.close()
        let reader = try LogReader(directory: directory.path)
        #expect(try LogTestSupport.batches(directory.path)[0].batches.count == 1)
        // The first record alone: a prefix; then the last one: the batch is read again, further.
        #expect(try reader.record(at: 0).record == records[0])
        #expect(try reader.record(at: 199).record == records[199])
        for seq in stride(from: 198, through: 0, by: -13) {
            #expect(try reader.record(at: UInt64(seq)).record == records[seq])
        }
        #expect(try reader.records(.execution, key: "ex-150").map(\.record) == [records[150]])
    }
}
