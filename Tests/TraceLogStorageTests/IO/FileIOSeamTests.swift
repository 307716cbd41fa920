import Foundation
import Testing

@testable import TraceLogStorage

/// The system-call seam itself: every operation a fault can be attached to asks the plan before calling the
/// kernel, and an injected fault does nothing to the file but report a ``SystemError`` naming the operation and
/// the path.
@Suite struct FileIOSeamTests {
    static let contents = Data(repeating: 7, count: 64)

    /// Calls `operation` through the seam on `file`.
    private func perform(_ operation: FaultInjector.Operation, _ io: FileIO, _ file: OpenFile) throws(SystemError) {
        switch operation {
        case .open: _ = try io.open(file.path, flags: O_RDONLY)
        case .write: try file.write([1, 2, 3], at: 0)
        case .read: _ = try file.read(count: 8, at: 0)
        case .fdatasync: try file.syncData()
        case .fsync: try file.syncAll()
        case .fallocate: try file.reserve(offset: 0, length: 1 << 20)
        case .ftruncate: try file.truncate(to: 0)
        case .rename: try io.rename(file.path, to: file.path + ".renamed")
        case .unlink: try io.unlink(file.path)
        case .mmap: _ = try MappedRegion(file: file)
        case .lock: try io.lockExclusive(file.descriptor, file.path)
        }
    }

    @Test(arguments: FaultInjector.Operation.allCases)
    func everyOperationAsksTheFaultPlanFirst(_ operation: FaultInjector.Operation) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("file")
        _ = FileManager.default.createFile(atPath: path, contents: Self.contents)
        let faults = FaultInjector()
        let io = FileIO(faults: faults)
        let file = try io.open(path, flags: O_RDWR)
        faults.fail(operation, with: .error(EIO))
        #expect {
            try perform(operation, io, file)
        } throws: { error in
            error as? SystemError
                == SystemError(operation: operation.rawValue, path: path, errno: EIO, injected: true)
        }
        #expect(faults.injections.map(\.operation) == [operation])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["file"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Self.contents, "the call did nothing")
        #expect(throws: Never.self, "the next call goes to the kernel") { try perform(operation, io, file) }
    }

    /// The storage layer reserves no blocks: nothing calls `fallocate` (``OpenFile/reserve(offset:length:)`` has
    /// no caller), so a `fallocate` fault cannot reach a writer or reader, and a write at a full disk fails in
    /// `pwrite` instead (see ``FaultInjectionTests``). If segment preallocation is added, this test must become a
    /// case of ``RollFaultTests``.
    @Test func nothingCallsFallocateSoItsFaultsCannotReachTheLog() async throws {
        let directory = TemporaryDirectory()
        let faults = FaultInjector()
        faults.fail(.fallocate, with: .error(ENOSPC), repeats: true)
        var options = LogTestSupport.smallOptions(durability: .sync, segmentMaxBytes: 2048)
        options.faults = faults
        let writer = try LogWriter.open(directory: directory.path, options: options)
        let records = try await LogTestSupport.append(writer, count: 250)
        try writer.close()
        let reader = try LogReader(directory: directory.path, persistsIndexes: true, faults: faults)
        try ReaderFaultTests.expectAnswers(reader, records)
        #expect(reader.segmentNames.count > 3, "rolled several times")
        #expect(faults.count(of: .fallocate) == 0)
        #expect(faults.injections.isEmpty)
    }
}
