import Testing

@testable import TraceLogStorage

/// The zero-copy scan: the same records as the decoding cursor, in the same order, over any range, through
/// damage the same way; and a trace's records as views, the same as the decoded lookup.
@Suite struct RecordScannerTests {
    /// 600 numbered records over several small segments, sealed ones with index files.
    private static func log(in directory: TemporaryDirectory) throws -> [Record] {
        let records = SampleRecords.numbered(600)
        let writer = try LogWriter.open(
            directory: directory.path,
            options: LogOptions(durability: .none, segmentMaxBytes: 6 << 10, batchTargetBytes: 700))
        for chunk in stride(from: 0, to: records.count, by: 25) {
            try writer.appendWritten(Array(records[chunk..<chunk + 25]))
        }
        try writer.close()
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        return records
    }

    private static func scanned(_ reader: LogReader, from: UInt64 = 0, to: UInt64? = nil) throws -> [StoredRecord] {
        var result: [StoredRecord] = []
        try reader.forEachRecord(from: from, to: to) { seq, view throws(RecordDecodingError) in
            result.append(StoredRecord(seq: seq, record: try view.record()))
        }
        return result
    }

    @Test func aScanGivesWhatTheCursorGivesOverAnyRange() throws {
        let directory = TemporaryDirectory()
        let records = try Self.log(in: directory)
        let reader = try LogReader(directory: directory.path)
        #expect(reader.segmentNames.count > 2)
        let all = try Self.scanned(reader)
        #expect(all.map(\.record) == records && all.map(\.seq) == Array(0..<600))
        for (from, to) in [(0, 1), (7, 8), (13, 301), (299, 600), (598, 700), (600, 601), (5, 5)] as [(UInt64, UInt64)]
        {
            var cursor = reader.cursor(from: from, to: min(to, reader.endSeq))
            var expected: [StoredRecord] = []
            while let next = try cursor.next() { expected.append(next) }
            #expect(try Self.scanned(reader, from: from, to: min(to, reader.endSeq)) == expected, "\(from)..<\(to)")
        }
    }

    @Test func aDamagedBatchIsNamedAndSkippedLikeTheCursorSkipsIt() throws {
        let directory = TemporaryDirectory()
        let records = try Self.log(in: directory)
        let (segment, batches) = try LogTestSupport.batches(directory.path)[1]
        let damaged = batches[2]
        try LogTestSupport.flipBit(directory.file(segment), at: damaged.offset + Int64(BatchHeader.size) + 3)

        let reader = try LogReader(directory: directory.path)
        var scanner = reader.scanner()
        var seen: [UInt64] = []
        var failures: [String] = []
        while true {
            do {
                guard let batch = try scanner.next() else { break }
                try batch.forEach { seq, _ throws(RecordDecodingError) in seen.append(seq) }
            } catch {
                failures.append("\(error)")
                scanner.skipDamagedBatch()
            }
        }
        #expect(failures.count == 1)
        #expect(
            failures.first?.contains(segment) == true && failures.first?.contains("offset \(damaged.offset)") == true)
        #expect(seen == Array(0..<damaged.baseSeq) + Array(damaged.endSeq..<UInt64(records.count)))
    }

    @Test func aTraceReadAsViewsIsTheTraceReadAsRecords() throws {
        let directory = TemporaryDirectory()
        _ = try Self.log(in: directory)
        let reader = try LogReader(directory: directory.path)
        for trace in [1, 2, 30, 60, 61] as [UInt64] {
            let id = TraceID(high: 1, low: trace)
            var damage: [DamagedRegion] = []
            var viewed: [StoredRecord] = []
            try reader.forEachRecord(inTrace: id, skippingDamage: &damage) { seq, view throws(RecordDecodingError) in
                viewed.append(StoredRecord(seq: seq, record: try view.record()))
            }
            #expect(damage.isEmpty)
            #expect(viewed == (try reader.records(inTrace: id)), "trace \(trace)")
            #expect(viewed.count == (trace == 61 ? 0 : 10))
        }
    }
}
