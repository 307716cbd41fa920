import Testing

@testable import TraceLogStorage

/// `records(inTrace:near:skippingDamage:)` asks for the batch holding a known record of the trace while the index
/// is read, and `prefetchTraces(_:)` asks for what a page of trace lookups will read. Both are only prefetches:
/// wherever a hint points (the trace's start, another trace, a damaged batch, before or past the log), the
/// records and the damage reported are those of the lookup without it.
@Suite struct TraceLookupHintTests {
    /// Traces 1…100 start in the first append of a sealed segment; trace n's ten execution records follow in
    /// later batches. One batch in the middle is damaged; returns it.
    private static func damagedLog(in directory: TemporaryDirectory) throws -> BatchLocation {
        _ = try LogTestSupport.sealedFirstSegmentOfHundredTraces(in: directory)
        let (name, batches) = try #require(try LogTestSupport.batches(directory.path).first)
        let damaged = try #require(batches.dropFirst(batches.count / 2).first)
        try LogTestSupport.flipBit(directory.file(name), at: damaged.offset + Int64(BatchHeader.size) + 3)
        return damaged
    }

    @Test func aHintChangesNoAnswerWhereverItPoints() throws {
        let directory = TemporaryDirectory()
        let damaged = try Self.damagedLog(in: directory)

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

    @Test func prefetchingAPageOfTracesChangesNoAnswer() throws {
        let directory = TemporaryDirectory()
        let damaged = try Self.damagedLog(in: directory)
        let ids = (1...102).map { TraceID(high: 1, low: UInt64($0)) }

        let plainReader = try LogReader(directory: directory.path)
        let prefetchingReader = try LogReader(directory: directory.path)
        let nears: [UInt64] = [0, 57, damaged.baseSeq, damaged.endSeq - 1, 1099, 1104, 1_000_000, .max]
        prefetchingReader.prefetchTraces(ids.enumerated().map { ($1, nears[$0 % nears.count]) })
        prefetchingReader.prefetchTraces([])
        prefetchingReader.prefetchTraces([(ids[0], .max)])
        var damagedTraces = 0
        for id in ids {
            var plainDamage: [DamagedRegion] = []
            let plain = try plainReader.records(inTrace: id, skippingDamage: &plainDamage)
            var damage: [DamagedRegion] = []
            let read = try prefetchingReader.records(inTrace: id, skippingDamage: &damage)
            #expect(read.map(\.seq) == plain.map(\.seq), "\(id)")
            #expect(read.map(\.record) == plain.map(\.record), "\(id)")
            #expect(damage == plainDamage, "\(id)")
            if !damage.isEmpty { damagedTraces += 1 }
        }
        #expect(damagedTraces > 0, "some trace has a record in the damaged batch")
    }
}
