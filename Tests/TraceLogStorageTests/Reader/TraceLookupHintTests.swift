import Testing

@testable import TraceLogStorage

/// `records(inTrace:near:skippingDamage:)` asks for the batch holding a known record of the trace while the index
/// is read. It is only a prefetch: wherever the hint points (the trace's start, another trace, a damaged batch,
/// before or past the log), the records and the damage reported are those of the lookup without it.
@Suite struct TraceLookupHintTests {
    @Test func aHintChangesNoAnswerWhereverItPoints() throws {
        let directory = TemporaryDirectory()
        // Traces 1…100 start in the first append; trace n's ten execution records follow in later batches.
        let starts = (0..<100).map { trace in
            Record(
                time: SampleRecords.time, traceID: TraceID(high: 1, low: UInt64(trace + 1)),
                body: .traceStart(TraceStart(tag: "tag-\(trace)")))
        }
        _ = try LogTestSupport.sealedFirstSegment(
            in: directory, appends: [starts] + (0..<10).map { SampleRecords.numbered(100, startingAt: $0 * 100) },
            tail: SampleRecords.numbered(5, startingAt: 1000))
        let (name, batches) = try #require(try LogTestSupport.batches(directory.path).first)
        let damaged = try #require(batches.dropFirst(batches.count / 2).first)
        try LogTestSupport.flipBit(directory.file(name), at: damaged.offset + Int64(BatchHeader.size) + 3)

        let plainReader = try LogReader(directory: directory.path)
        let hintedReader = try LogReader(directory: directory.path)
        let hints: [UInt64] = [0, 57, damaged.baseSeq, damaged.endSeq - 1, 1099, 1104, 1_000_000, .max]
        var damagedTraces = 0
        for trace in 1...102 {
            let id = TraceID(high: 1, low: UInt64(trace))
            var plainDamage: [DamagedRegion] = []
            let plain = try plainReader.records(inTrace: id, skippingDamage: &plainDamage)
            if !plainDamage.isEmpty { damagedTraces += 1 }
            for hint in hints {
                var damage: [DamagedRegion] = []
                let hinted = try hintedReader.records(inTrace: id, near: hint, skippingDamage: &damage)
                #expect(hinted.map(\.seq) == plain.map(\.seq), "trace \(trace), hint \(hint)")
                #expect(hinted.map(\.record) == plain.map(\.record), "trace \(trace), hint \(hint)")
                #expect(damage == plainDamage, "trace \(trace), hint \(hint)")
            }
        }
        #expect(damagedTraces > 0, "some trace has a record in the damaged batch")
    }
}
