import Foundation
import Testing

@testable import TraceLogStorage

/// The log's filter stack: one group read tells a lookup which sealed segments may hold its key; answers are the
/// same with it, without it, with it damaged or describing an older log; `verify` checks it.
@Suite struct FilterStackTests {
    /// A log of several sealed segments with index files and a filter stack (1,200 numbered execution records, 10
    /// per trace), and an active one.
    private static func segmentedLog(in directory: TemporaryDirectory, records: Int = 1200) throws {
        try LogTestSupport.appendNumberedInSmallSegments(directory, 0..<records)
        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
    }

    /// Every execution's and trace's records, as seq lists, through a fresh reader.
    private static func answers(_ directory: TemporaryDirectory, records: Int = 1200) throws -> [[UInt64]] {
        let reader = try LogReader(directory: directory.path)
        var answers = try (0..<records).map { try reader.records(.execution, key: "ex-\($0)").map(\.seq) }
        answers += try (1...records / 10).map {
            try reader.records(inTrace: TraceID(high: 1, low: UInt64($0))).map(\.seq)
        }
        answers.append(try reader.records(.execution, key: "absent").map(\.seq))
        return answers
    }

    private static func mapped(_ segment: ReaderSegment) -> MappedSegmentIndex? {
        segment.state.withLock { state in
            if case .mapped(let mapped) = state.index { return mapped }
            return nil
        }
    }

    private static func stackPath(_ directory: TemporaryDirectory) -> String { directory.file(FilterStack.fileName) }

    @Test func theStackAnswersForEverySealedSegmentWithoutTheirOwnFilters() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let withStack = try Self.answers(directory)
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments()
        #expect(segments.count >= 4, "\(segments.count) segments")
        let stack = try #require(reader.filterStack.withLock { $0 })
        let covered = stack.covered(segments.map { ($0.baseSeq, $0.endSeq) })
        #expect(covered == Array(repeating: true, count: segments.count - 1) + [false], "\(covered)")

        #expect(try reader.records(.execution, key: "ex-3").map(\.seq) == [3])
        #expect(try reader.records(inTrace: TraceID(high: 1, low: 1)).count == 10)
        for (position, index) in segments.dropLast().compactMap(Self.mapped).enumerated() {
            #expect(
                index.verifiedBlocks[MappedSegmentIndex.filterSlot].words.allSatisfy { $0 == 0 },
                "segment \(position): own filter not read")
            let postingsRead = index.verified.withLock { $0.postingsTables } != 0
            #expect(postingsRead == (position == 0), "segment \(position): postings read only where the key is")
        }

        try FileManager.default.removeItem(atPath: Self.stackPath(directory))
        #expect(try Self.answers(directory) == withStack, "the same answers from the segments' own filters")
    }

    /// The writer's process rewrites the stack after each segment it seals while it refreshes (as `tracelog
    /// ingest` and the server do), so a reader in another process finds every sealed segment covered.
    @Test func theWritersProcessCoversEachSegmentItSeals() async throws {
        let directory = TemporaryDirectory()
        let sealer = try LogReader(directory: directory.path, persistsIndexes: true)
        try LogTestSupport.appendNumberedInSmallSegments(directory, 0..<1200) { try sealer.refresh() }
        sealer.waitForIndexFiles()
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments()
        #expect(segments.count >= 4, "\(segments.count) segments")
        let stack = try #require(reader.filterStack.withLock { $0 })
        let covered = stack.covered(segments.map { ($0.baseSeq, $0.endSeq) })
        #expect(covered.dropLast().allSatisfy { $0 } && covered.last == false, "\(covered)")
        #expect(try reader.verify().rebuiltIndexes.isEmpty)
    }

    @Test func keysThatAreNowhereRarelyPassTheStack() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments().dropLast()
        let stack = try #require(reader.filterStack.withLock { $0 })
        let bounds = segments.map { (baseSeq: $0.baseSeq, endSeq: $0.endSeq) }
        var passed = 0
        for number in 0..<5000 {
            let verdicts = stack.verdicts(
                .execution, hash: KeyHash.hash(.execution, "absent-\(number)"), segments: bounds)
            #expect(!verdicts.contains(nil))
            passed += verdicts.filter { $0 == true }.count
        }
        // About 0.5% of the probes or fewer (the filters are rounded up to a power of two); 1% would be broken.
        #expect(Double(passed) / Double(5000 * bounds.count) < 0.01, "\(passed) of \(5000 * bounds.count) passed")
    }

    @Test func aDamagedGroupChangesNoAnswerIsNamedAndIsRewritten() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let expected = try Self.answers(directory)
        let path = Self.stackPath(directory)
        let size = Int(try LogTestSupport.fileSize(path))
        let groups = FilterStack.groupsOffset(segments: 0)
        for offset in stride(from: groups, to: size, by: 61) { try LogTestSupport.flipBit(path, at: Int64(offset)) }
        #expect(try Self.answers(directory) == expected)

        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(report.rebuiltIndexes.count == 1, "\(report)")
        #expect(report.rebuiltIndexes.first?.contains("filter stack group") == true, "\(report)")
        #expect(report.rebuiltIndexes.first?.contains(FilterStack.fileName) == true, "\(report)")

        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
        let repaired = try LogReader(directory: directory.path).verify()
        #expect(repaired.isClean && repaired.rebuiltIndexes.isEmpty, "\(repaired)")
        #expect(try Self.answers(directory) == expected)
    }

    @Test(arguments: [0, 10, 63, 100, 5000])
    func aTruncatedStackIsNotUsed(length: Int) throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let expected = try Self.answers(directory)
        let path = Self.stackPath(directory)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.truncate(atOffset: UInt64(length))
        try file.close()
        #expect(try Self.answers(directory) == expected)
        let report = try LogReader(directory: directory.path).verify()
        #expect(report.isClean, "\(report)")
        #expect(length == 0 || report.rebuiltIndexes.contains { $0.contains(FilterStack.fileName) }, "\(report)")
    }

    @Test func verifyFindsAStackThatMissesAKeyEvenWithSoundChecksums() throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments().dropLast()
        // A stack whose filter of the first segment holds none of its keys, with every checksum right.
        let keys = try segments.map { try $0.filterKeys() }
        let groups = FilterStack.groupCount(keyCounts: keys.map(\.count))
        var stacked = zip(segments, keys).map { segment, keys in
            FilterStack.Segment(baseSeq: segment.baseSeq, endSeq: segment.endSeq, keys: keys, groups: groups)
        }
        stacked[0] = FilterStack.Segment(
            baseSeq: stacked[0].baseSeq, endSeq: stacked[0].endSeq, keys: keys[0].count,
            filter: BlockedBloomFilter(
                blockCount: stacked[0].filter.blockCount, bytes: stacked[0].filter.bytes.map { _ in 0 }))
        try Data(FilterStack.encode(stacked, groups: groups)).write(to: URL(fileURLWithPath: Self.stackPath(directory)))
        let report = try LogReader(directory: directory.path).verify()
        #expect(!report.isClean, "\(report)")
        #expect(report.problems.contains { $0.contains("misses a key of its postings") }, "\(report)")
    }

    @Test func aStaleStackAnswersOnlyForTheSegmentsItStillDescribes() async throws {
        let directory = TemporaryDirectory()
        try Self.segmentedLog(in: directory)
        let stale = try Data(contentsOf: URL(fileURLWithPath: Self.stackPath(directory)))
        // More sealed segments, written without a stack update; then the old stack put back.
        try LogTestSupport.appendNumberedInSmallSegments(directory, 1200..<2400)
        try LogReader(directory: directory.path, persistsIndexes: true).persistIndexes()
        let expected = try Self.answers(directory, records: 2400)
        try stale.write(to: URL(fileURLWithPath: Self.stackPath(directory)))
        let reader = try LogReader(directory: directory.path)
        let segments = try reader.loadedSegments()
        let covered = try #require(reader.filterStack.withLock { $0 }).covered(
            segments.map { ($0.baseSeq, $0.endSeq) })
        #expect(covered.contains(true) && covered.contains(false), "\(covered)")
        #expect(try Self.answers(directory, records: 2400) == expected)
    }

    /// A spread of stored hashes for key `number`.
    private static func storedHash(_ number: Int) -> UInt32 { UInt32(truncatingIfNeeded: number &* 2_654_435_761) }

    @Test func aStackOfFiltersSmallerAndLargerThanTheGroupCountRoundTrips() throws {
        // Filters of 1, 8 and 64 blocks (powers of two below the 4,096 groups: a small filter's block repeats
        // across groups), and of 4,096 and 3 × 4,096 (a multiple of the group count that is no power of two).
        let keyCounts = [3, 150, 1300, 80_000, 200_000]
        let groups = FilterStack.groupCount(keyCounts: keyCounts)
        #expect(groups == FilterStack.maxGroups)
        var segments: [FilterStack.Segment] = []
        var base: UInt64 = 0
        for keyCount in keyCounts {
            let keys = (0..<keyCount).map { Self.storedHash($0) }.map {
                KeyFilterSection.key(IndexKind.execution.rawValue, storedHash: $0)
            }
            segments.append(FilterStack.Segment(baseSeq: base, endSeq: base + 100, keys: keys, groups: groups))
            base += 100
        }
        #expect(segments.map(\.filter.blockCount) == [1, 8, 64, 4096, 3 * 4096])
        let bytes = FilterStack.encode(segments, groups: groups)
        let directory = TemporaryDirectory()
        let path = directory.file("stack")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try FileIO().open(path, flags: O_RDONLY)
        let stack = MappedFilterStack(region: try MappedRegion(file: file), inode: 0)
        let layout = try #require(stack.layout())
        #expect(layout.groups == groups && layout.entries.count == keyCounts.count)
        for (entry, segment) in zip(layout.entries, segments) {
            #expect(try stack.filter(of: entry) == segment.filter)
        }
        let bounds = segments.map { (baseSeq: $0.baseSeq, endSeq: $0.endSeq) }
        for (index, keyCount) in keyCounts.enumerated() {
            for number in stride(from: 0, to: keyCount, by: max(1, keyCount / 2000)) {
                let hash = UInt64(Self.storedHash(number)) << 32
                let verdicts = stack.verdicts(.execution, hash: hash, segments: bounds)
                #expect(verdicts[index] == true, "segment \(index) key \(number)")
            }
        }
        try stack.checkAll()
    }
}

extension MappedFilterStack {
    /// For each of `segments`: whether the stack covers it as it is now.
    fileprivate func covered(_ segments: [(baseSeq: UInt64, endSeq: UInt64)]) -> [Bool] {
        segments.map { entryIndex(baseSeq: $0.baseSeq, endSeq: $0.endSeq) != nil }
    }

    /// For each of `segments`: whether it may hold the key, or nil when the stack does not cover it or cannot
    /// answer (what a lookup's probe plan decides, one segment at a time).
    fileprivate func verdicts(_ kind: IndexKind, hash: UInt64, segments: [(baseSeq: UInt64, endSeq: UInt64)])
        -> [Bool?]
    {
        let mask = passMask(kind, hash: hash)
        return segments.map { segment in
            guard let mask, let index = entryIndex(baseSeq: segment.baseSeq, endSeq: segment.endSeq) else {
                return nil
            }
            return mask & (1 << UInt64(index)) != 0
        }
    }
}
