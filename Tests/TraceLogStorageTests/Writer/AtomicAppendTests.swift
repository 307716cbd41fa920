import Foundation
import Testing

@testable import TraceLogStorage

/// One append is stored whole or not at all: a write that fails after some of its batches reached the file
/// (a full disk, a short write, an I/O error), even after a segment roll, leaves no record of that append.
@Suite struct AtomicAppendTests {
    /// Faults on the third batch write of an append of many small batches.
    static let faults: [FaultInjector.Fault] = [.error(ENOSPC), .shortWrite(30), .error(EIO)]

    @Test(arguments: faults)
    func aMultiBatchAppendThatFailsLeavesNothingOfItself(fault: FaultInjector.Fault) async throws {
        let directory = TemporaryDirectory()
        let injector = FaultInjector()
        var options = LogTestSupport.smallOptions(durability: .sync)
        options.faults = injector
        let writer = try LogWriter.open(directory: directory.path, options: options)
        let acknowledged = SampleRecords.numbered(20)
        try await writer.append(acknowledged)
        let sizeBefore = try segmentSizes(directory.path)
        injector.fail(.write, occurrence: 3, with: fault)
        await #expect(throws: LogError.self) { try await writer.append(SampleRecords.numbered(60, startingAt: 20)) }
        #expect(try segmentSizes(directory.path) == sizeBefore, "the batches written before the failure are cut off")
        #expect(writer.endSeq == 20)
        _ = try? writer.close()
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
    }

    @Test(arguments: faults)
    func anAppendThatRolledAndFailedRemovesTheSegmentsItCreated(fault: FaultInjector.Fault) async throws {
        let directory = TemporaryDirectory()
        let injector = FaultInjector()
        var options = LogTestSupport.smallOptions(durability: .none, segmentMaxBytes: 2048)
        options.faults = injector
        let writer = try LogWriter.open(directory: directory.path, options: options)
        let acknowledged = SampleRecords.numbered(10)
        try await writer.append(acknowledged)
        let before = try segmentSizes(directory.path)
        // Enough batches to roll at least twice before the failing write.
        let writes = injector.count(of: .write)
        injector.fail(.write, occurrence: 12, with: fault)
        await #expect(throws: LogError.self) { try await writer.append(SampleRecords.numbered(200, startingAt: 10)) }
        #expect(injector.count(of: .write) > writes + 8)
        #expect(try segmentSizes(directory.path) == before, "segments created by the failed append are removed")
        _ = try? writer.close()
        try await FaultTestSupport.expectReopensIntact(directory.path, acknowledged: acknowledged)
    }

    /// Segment file names and sizes.
    private func segmentSizes(_ directory: String) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".tlseg") {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            sizes[name] = (attributes[.size] as? NSNumber)?.intValue
        }
        return sizes
    }
}
