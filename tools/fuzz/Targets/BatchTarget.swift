import TraceLogStorage

/// (a) Batch headers and payloads: a run of batches as a segment holds them after its 32-byte header.
///
/// Each batch is decoded as the segment scanner and the readers do (header, payload checksum, LZ4,
/// record framing), its records are decoded and indexed, and the header is checked against what was found.
enum BatchTarget {
    /// Batches that claim more than this uncompressed are skipped, to keep each run fast (the format allows
    /// 256 MiB; what matters here is how lengths are checked, not allocating them).
    static let maximumUncompressed = 4 << 20

    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var bytes = Array(input)
        var index = MemoryIndex()
        var position = 0
        while position < bytes.count {
            Checksums.fillBatch(&bytes, at: position)
            let start = position
            let decoded = bytes.withUnsafeBytes { BatchHeader.decode(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            guard case .success(let header) = decoded else { return }
            try check(header.recordCount > 0, "a header with no records was accepted")
            // What the scanner and the readers compute for every valid header (a check, not `_ =`, so that
            // an optimized build cannot drop the arithmetic and its overflow trap).
            try check(header.endSeq > header.baseSeq, "a header's sequence range is empty")
            guard header.totalLength <= bytes.count - position else { return }
            if header.codec == .lz4, Int(header.uncompressedLength) > maximumUncompressed { return }
            let payload = bytes.withUnsafeBytes { raw in
                BatchPayload.decode(
                    header: header,
                    stored: UnsafeRawBufferPointer(rebasing: raw[start + BatchHeader.size..<start + header.totalLength])
                )
            }
            if case .success(let payload) = payload {
                try checkPayload(payload, header: header)
                index.add(payload)
            }
            position += header.totalLength
        }
        try checkSorted(index)
    }

    /// The records fill the payload exactly, number as many as the header says, and decode or fail cleanly.
    private static func checkPayload(_ payload: BatchPayload, header: BatchHeader) throws(Violation) {
        try check(
            payload.count == Int(header.recordCount),
            "payload has \(payload.count) records, its header \(header.recordCount)")
        try check(payload.baseSeq == header.baseSeq, "payload base seq differs from the header's")
        var total = 0
        var expectedSeq = header.baseSeq
        var seqsInOrder = true
        payload.forEachView { seq, view in
            seqsInOrder = seqsInOrder && seq == expectedSeq
            expectedSeq &+= 1
            total += view.size
        }
        try check(seqsInOrder, "record sequence numbers are not consecutive")
        try check(
            total == Int(header.uncompressedLength), "records cover \(total) bytes of \(header.uncompressedLength)")
        var decoded = 0
        for position in 0..<payload.count {
            if (try? payload.record(at: position)) != nil { decoded += 1 }
        }
        if let all = try? payload.records() {
            try check(all.count == decoded, "records() and record(at:) disagree")
        }
    }

    /// The postings of an index, as an index file would store them, are sorted by (hash, seq) without duplicates.
    static func checkSorted(_ index: MemoryIndex) throws(Violation) {
        for kind in IndexKind.allCases {
            let pairs = index.storedPostings(kind)
            try check(zip(pairs, pairs.dropFirst()).allSatisfy { $0 < $1 }, "\(kind) postings are not sorted")
        }
    }
}
