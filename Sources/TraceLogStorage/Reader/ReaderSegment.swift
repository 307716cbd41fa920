#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A reader's view of one segment file: its batch table, loaded on first use.
///
/// Sealed segments are scanned once (or, later, loaded from their index file); the last segment is scanned
/// incrementally from where the previous refresh stopped, so a refresh costs only the new bytes.
struct ReaderSegment: Sendable {
    let name: String
    let baseSeq: UInt64
    let file: OpenFile
    /// Valid batches in file order; nil until loaded.
    var batches: [BatchLocation]?
    /// Corrupt regions followed by valid data (reported on read, never skipped silently).
    var damaged: [DamagedRegion] = []
    /// Where the next incremental scan starts.
    var scannedTo = Int64(SegmentHeader.size)
    /// One past the last valid sequence number found so far.
    var endSeq: UInt64

    init(entry: SegmentEntry, directory: LogDirectory) throws(LogError) {
        name = entry.name
        baseSeq = entry.baseSeq
        endSeq = entry.baseSeq
        let path = directory.file(entry.name)
        file = try withIOErrors { () throws(SystemError) in try directory.io.open(path, flags: O_RDONLY) }
        let header = try directory.readHeader(file, name: entry.name)
        guard header.baseSeq == entry.baseSeq else {
            throw .corruptSegment(segment: entry.name, reason: "header says base seq \(header.baseSeq)")
        }
    }

    /// Scans bytes appended since the last scan. A tail that is not (yet) a valid batch is left for later:
    /// in the last segment it is a write in progress or a torn tail; in a sealed segment it is damage.
    mutating func scanForward(isLast: Bool) throws(LogError) {
        let scan = try SegmentScanner.scan(file, name: name, from: scannedTo, expectedSeq: endSeq)
        batches = (batches ?? []) + scan.batches
        damaged += scan.damaged
        if !isLast, let tail = scan.tail { damaged.append(tail) }
        scannedTo = scan.validEnd
        endSeq = scan.endSeq
    }

    /// The index in `batches` of the batch holding `seq`, if any.
    func batchIndex(containing seq: UInt64) -> Int? {
        guard let batches else { return nil }
        var low = 0
        var high = batches.count
        while low < high {
            let middle = (low + high) / 2
            if batches[middle].endSeq <= seq { low = middle + 1 } else { high = middle }
        }
        guard low < batches.count, batches[low].baseSeq <= seq else { return nil }
        return low
    }

    /// The damaged region that must hold `seq` when no valid batch does, for the error message.
    func damage(before seq: UInt64) -> DamagedRegion? {
        guard let batches else { return damaged.first }
        let next = batches.firstIndex { $0.baseSeq > seq }
        let limit = next.map { batches[$0].offset } ?? Int64.max
        return damaged.last { $0.offset < limit }
    }

    /// Reads and checks one batch.
    func readBatch(_ location: BatchLocation) throws(LogError) -> BatchPayload {
        let bytes = try withIOErrors { () throws(SystemError) in
            try file.read(count: Int(location.length), at: location.offset)
        }
        let outcome: Result<BatchPayload, LogError> = bytes.withUnsafeBytes { raw in
            guard case .success(let header) = BatchHeader.decode(raw), header.totalLength == raw.count else {
                return .failure(.corruptBatch(segment: name, offset: location.offset, reason: "batch header changed"))
            }
            let stored = UnsafeRawBufferPointer(rebasing: raw[BatchHeader.size...])
            return BatchPayload.decode(header: header, stored: stored).mapError { problem in
                .corruptBatch(segment: name, offset: location.offset, reason: problem.description)
            }
        }
        return try outcome.get()
    }
}
