import Foundation
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

    @Test func zeroedChecksumsAreFilledIn() throws {
        // The committed fix-up seed has every checksum zeroed: header, sections and every block.
        let path = CorpusReplayTests.corpus + "/index/fixture-fixup.tlidx"
        var index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(index != IndexFixture.shared.originalIndex)
        Checksums.fillIndex(&index)
        #expect(index == IndexFixture.shared.originalIndex)
    }
}
