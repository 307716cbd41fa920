import Foundation
import Testing

@testable import TraceLogStorage

/// Helpers shared by the writer, reader and recovery tests.
enum LogTestSupport {
    /// Options that make small batches and segments, so tests exercise many of each with few records.
    static func smallOptions(durability: Durability = .none, segmentMaxBytes: Int64 = 1 << 20) -> LogOptions {
        LogOptions(durability: durability, segmentMaxBytes: segmentMaxBytes, batchTargetBytes: 512)
    }

    /// ``sealedFirstSegment(in:appends:tail:)`` of `appends` appends of five numbered records each, sealed by five
    /// more numbered from 1000.
    static func sealedFirstSegment(in directory: TemporaryDirectory, fiveRecordAppends appends: Int) throws -> String {
        try sealedFirstSegment(
            in: directory, appends: (0..<appends).map { SampleRecords.numbered(5, startingAt: $0 * 5) },
            tail: SampleRecords.numbered(5, startingAt: 1000))
    }

    /// A sealed first segment with an index file holding 100 traces: their trace starts (ids `1:1`…`1:100`,
    /// tags `tag-0`…`tag-99`) in the first append, then 1,000 numbered execution records, ten per trace, in ten
    /// appends; returns the index file's path.
    static func sealedFirstSegmentOfHundredTraces(in directory: TemporaryDirectory) throws -> String {
        let starts = (0..<100).map { trace in
            Record(
                time: SampleRecords.time, traceID: TraceID(high: 1, low: UInt64(trace + 1)),
                body: .traceStart(TraceStart(tag: "tag-\(trace)")))
        }
        return try sealedFirstSegment(
            in: directory, appends: [starts] + (0..<10).map { SampleRecords.numbered(100, startingAt: $0 * 100) },
            tail: SampleRecords.numbered(5, startingAt: 1000))
    }

    /// Writes `appends` (one append each) into the first segment, seals it by appending `tail` with a tiny
    /// segment size, and has the writer's side write the sealed segment's index file; returns that file's path.
    static func sealedFirstSegment(in directory: TemporaryDirectory, appends: [[Record]], tail: [Record]) throws
        -> String
    {
        let writer = try LogWriter.open(directory: directory.path, options: smallOptions())
        for records in appends { try writer.appendWritten(records) }
        try writer.close()
        let roller = try LogWriter.open(directory: directory.path, options: smallOptions(segmentMaxBytes: 64))
        try roller.appendWritten(tail)
        try roller.close()
        _ = try LogReader(directory: directory.path, persistsIndexes: true).traceStarts()
        return directory.file(SegmentIndexFile.name(baseSeq: 0))
    }

    /// Appends `count` numbered records, `perAppend` at a time; returns them.
    @discardableResult
    static func append(_ writer: LogWriter, count: Int, perAppend: Int = 5, startingAt first: Int = 0) async throws
        -> [Record]
    {
        let records = SampleRecords.numbered(count, startingAt: first)
        var index = 0
        while index < records.count {
            let slice = Array(records[index..<min(index + perAppend, records.count)])
            try await writer.append(slice)
            index += slice.count
        }
        return records
    }

    /// Every readable record of the log in `directory`.
    /// Appends ``SampleRecords/numbered(_:startingAt:payloadBytes:)`` records `numbers` in appends of 20, in
    /// 8 KiB segments of 512-byte batches (many sealed segments from a few hundred records), then closes the
    /// writer; `afterEachAppend` runs after every append (a reader's refresh, say).
    static func appendNumberedInSmallSegments(
        _ directory: TemporaryDirectory, _ numbers: Range<Int>, afterEachAppend: () throws -> Void = {}
    ) throws {
        let writer = try LogWriter.open(
            directory: directory.path,
            options: LogOptions(durability: .none, segmentMaxBytes: 8 << 10, batchTargetBytes: 512))
        for chunk in stride(from: numbers.lowerBound, to: numbers.upperBound, by: 20) {
            try writer.appendWritten(SampleRecords.numbered(min(20, numbers.upperBound - chunk), startingAt: chunk))
            try afterEachAppend()
        }
        try writer.close()
    }

    static func readAll(_ directory: String) throws -> [StoredRecord] {
        let reader = try LogReader(directory: directory)
        var cursor = reader.cursor()
        var records: [StoredRecord] = []
        while let record = try cursor.next() { records.append(record) }
        return records
    }

    /// The batch table of every segment (file order), read the way the reader sees it.
    static func batches(_ directory: String) throws -> [(segment: String, batches: [BatchLocation])] {
        let reader = try LogReader(directory: directory)
        return try reader.loadedSegments().map { ($0.name, try $0.allBatches()) }
    }

    static func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
    }

    /// Overwrites bytes of a file in place.
    static func patch(_ path: String, at offset: Int64, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// Appends bytes to the end of a file.
    static func appendBytes(_ path: String, _ bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// Flips one bit of a file.
    static func flipBit(_ path: String, at offset: Int64, bit: UInt8 = 0) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1)![0]
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([byte ^ (1 << bit)]))
        try handle.close()
    }

    /// The file offset of the section-table entry of section `kind` in an index file's bytes.
    static func sectionEntry(_ kind: UInt32, in file: [UInt8]) -> Int? {
        file.withUnsafeBytes { raw in
            for index in 0..<Int(raw.loadLittleEndian(at: 32, as: UInt32.self)) {
                let entry = SegmentIndexFile.headerSize + index * SegmentIndexFile.sectionEntrySize
                if raw.loadLittleEndian(at: entry, as: UInt32.self) == kind { return entry }
            }
            return nil
        }
    }
}
