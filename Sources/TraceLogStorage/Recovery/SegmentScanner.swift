/// Why the bytes at some offset are not a valid batch.
struct BatchProblem: Error, Hashable, Sendable {
    var reason: String
}

/// The result of scanning a segment file's batches.
struct SegmentScan: Sendable {
    /// Valid batches, in file order.
    var batches: [BatchLocation] = []
    /// Damaged regions followed by at least one valid batch: corruption that must be reported, never dropped.
    var damaged: [DamagedRegion] = []
    /// A damaged region that runs to the end of the file (a torn, zero-filled or garbage tail), if any.
    var tail: DamagedRegion?
    /// One past the last valid batch byte (where appending continues after the tail is cut).
    var validEnd: Int64
    /// One past the last valid sequence number.
    var endSeq: UInt64
}

/// Walks the batches of one segment file, checking each, and classifies what is not valid.
///
/// A batch is valid when its header checksum, its payload checksum and its base sequence number (which must
/// continue from the batch before it) all check out. After an invalid byte the scanner searches forward for the
/// next valid batch: if it finds one, the bytes in between are a damaged region in the middle of the log;
/// otherwise they are the tail.
enum SegmentScanner {
    /// Scans `file` from `offset` up to `limit` (default: its end), expecting the first batch at `offset` to start
    /// at `expectedSeq`. Reads the whole range once (segments are bounded by the roll size).
    /// `visit` is called with each valid batch's header and stored (compressed) bytes, in order.
    static func scan(
        _ file: OpenFile, name: String, from offset: Int64, to limit: Int64? = nil, expectedSeq: UInt64,
        visit: (BatchHeader, UnsafeRawBufferPointer) -> Void = { _, _ in }
    ) throws(LogError) -> SegmentScan {
        let length = try withIOErrors { () throws(SystemError) in try file.size() }
        let fileSize = limit.map { min($0, length) } ?? length
        var scan = SegmentScan(validEnd: offset, endSeq: expectedSeq)
        guard fileSize > offset else { return scan }
        let bytes = try withIOErrors { () throws(SystemError) in
            try file.read(count: Int(fileSize - offset), at: offset)
        }
        bytes.withUnsafeBytes { raw in
            var position = 0
            var damageStart: Int?
            var damageReason = ""
            while position < raw.count {
                let afterDamage = damageStart != nil
                switch validBatch(in: raw, at: position, expectedSeq: scan.endSeq, allowGap: afterDamage) {
                case .success(let header):
                    if let start = damageStart {
                        scan.damaged.append(
                            DamagedRegion(
                                segment: name, offset: offset + Int64(start), length: Int64(position - start),
                                reason: damageReason))
                        damageStart = nil
                    }
                    scan.batches.append(BatchLocation(header: header, offset: offset + Int64(position)))
                    visit(
                        header,
                        UnsafeRawBufferPointer(
                            rebasing: raw[position + BatchHeader.size..<position + header.totalLength]))
                    position += header.totalLength
                    scan.validEnd = offset + Int64(position)
                    scan.endSeq = header.endSeq
                case .failure(let problem):
                    if damageStart == nil {
                        damageStart = position
                        damageReason = problem.reason
                    }
                    position = nextCandidate(in: raw, after: position)
                }
            }
            if let start = damageStart {
                scan.tail = DamagedRegion(
                    segment: name, offset: offset + Int64(start), length: Int64(raw.count - start),
                    reason: damageReason)
            }
        }
        return scan
    }

    /// Checks the batch at `position` completely (header, payload checksum, sequence continuity).
    static func validBatch(in raw: UnsafeRawBufferPointer, at position: Int, expectedSeq: UInt64, allowGap: Bool)
        -> Result<BatchHeader, BatchProblem>
    {
        let available = UnsafeRawBufferPointer(rebasing: raw[position...])
        let header: BatchHeader
        switch BatchHeader.decode(available) {
        case .success(let decoded): header = decoded
        case .failure(let problem): return .failure(BatchProblem(reason: problem.description))
        }
        guard header.totalLength <= available.count else {
            return .failure(BatchProblem(reason: "batch of \(header.totalLength) bytes runs past the end of the file"))
        }
        let stored = UnsafeRawBufferPointer(rebasing: available[BatchHeader.size..<header.totalLength])
        guard CRC32C.checksum(stored) == header.payloadChecksum else {
            return .failure(BatchProblem(reason: "batch payload checksum mismatch"))
        }
        // After damage, the next valid batch may start past expectedSeq (its records are inside the damage).
        guard header.baseSeq == expectedSeq || (allowGap && header.baseSeq > expectedSeq) else {
            return .failure(
                BatchProblem(reason: "batch base seq \(header.baseSeq) does not continue from \(expectedSeq)"))
        }
        return .success(header)
    }

    /// The next offset after `position` where the batch magic appears, or the end.
    private static func nextCandidate(in raw: UnsafeRawBufferPointer, after position: Int) -> Int {
        var candidate = position + 1
        while candidate + 4 <= raw.count {
            if raw[candidate] == 0x54 && raw.loadLittleEndian(at: candidate, as: UInt32.self) == BatchHeader.magic {
                return candidate
            }
            candidate += 1
        }
        return raw.count
    }
}
