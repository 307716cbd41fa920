import Testing
import TraceLogStorage

@testable import TraceLogFuzz

/// The index target only means something if its log really reads the sealed segment through the index file.
@Suite(.serialized) struct IndexFixtureTests {
    @Test func theFixtureHasASealedSegmentWhoseIndexFileIsUsed() throws {
        let fixture = IndexFixture.shared
        try fixture.exclusively { try usesTheIndexFile(fixture) }
    }

    func usesTheIndexFile(_ fixture: IndexFixture) throws {
        fixture.replaceIndex(with: fixture.originalIndex)
        let reader = try LogReader(directory: fixture.directory)
        #expect(reader.segmentNames.count == 2)
        #expect(reader.endSeq == UInt64(FuzzSamples.records.count))
        let report = try reader.verify()
        #expect(report.rebuiltIndexes.isEmpty)
        #expect(report.isClean, "\(report)")
        #expect(try reader.traceStarts().count == FuzzSamples.traceCount)
    }

    @Test func aGarbageIndexFileIsRebuiltFromTheSegment() throws {
        let fixture = IndexFixture.shared
        try fixture.exclusively { try rebuildsAGarbageIndexFile(fixture) }
    }

    func rebuildsAGarbageIndexFile(_ fixture: IndexFixture) throws {
        fixture.replaceIndex(with: Array(repeating: 0x5A, count: 200))
        defer { fixture.replaceIndex(with: fixture.originalIndex) }
        let reader = try LogReader(directory: fixture.directory)
        let report = try reader.verify()
        #expect(report.rebuiltIndexes.count == 1)
        #expect(try reader.records(.execution, key: "ex-3").count == 4)
    }

    @Test func zeroedChecksumsAreFilledIn() {
        var index = IndexFixture.shared.originalIndex
        let original = index
        Checksums.clear(&index, field: 60)
        Checksums.clear(&index, field: 64 + 24)
        Checksums.fillIndex(&index)
        #expect(index == original)
    }
}
