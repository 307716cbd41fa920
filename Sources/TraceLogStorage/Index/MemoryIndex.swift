/// The index of one segment held in memory: the active segment's (rebuilt on open, extended as records are
/// appended), or a sealed segment's whose index file is missing or corrupt.
///
/// Postings are chained per key hash in one flat array, so adding a record costs a dictionary update and an
/// append — no per-key arrays.
package struct MemoryIndex: Sendable {
    private struct Posting: Sendable {
        var seq: UInt64
        var previous: Int32
    }

    private struct KeyPostings: Sendable {
        var heads = HashHeads()
        var postings: [Posting] = []

        mutating func add(hash: UInt64, seq: UInt64) {
            let previous = heads.value(for: hash)
            if previous >= 0, postings[Int(previous)].seq == seq { return }
            heads.set(Int32(postings.count), for: hash)
            postings.append(Posting(seq: seq, previous: previous))
        }

        func seqs(for hash: UInt64) -> [UInt64] {
            var result: [UInt64] = []
            var cursor = heads.value(for: hash)
            while cursor >= 0 {
                result.append(postings[Int(cursor)].seq)
                cursor = postings[Int(cursor)].previous
            }
            return result.reversed()
        }

        /// All (hash, seq) pairs sorted by hash then seq, for writing an index file.
        func sortedPairs() -> [(UInt64, UInt64)] {
            var pairs: [(UInt64, UInt64)] = []
            pairs.reserveCapacity(postings.count)
            heads.forEach { hash, head in
                var cursor = head
                while cursor >= 0 {
                    pairs.append((hash, postings[Int(cursor)].seq))
                    cursor = postings[Int(cursor)].previous
                }
            }
            pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return pairs
        }
    }

    private var keys: [KeyPostings] = Array(repeating: KeyPostings(), count: IndexKind.allCases.count + 1)
    /// Creates an empty index.
    package init() {}

    /// Traces that start in this segment, in sequence order.
    package private(set) var traceStarts: [TraceStartEntry] = []

    /// The trace start recorded at `seq`, if one is (the table is in sequence order).
    func traceStart(seq: UInt64) -> TraceStartEntry? {
        var low = 0
        var high = traceStarts.count
        while low < high {
            let middle = (low + high) / 2
            if traceStarts[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        return low < traceStarts.count && traceStarts[low].seq == seq ? traceStarts[low] : nil
    }

    /// Indexes every record of a batch.
    package mutating func add(_ payload: BatchPayload) {
        payload.forEachView { seq, view in add(seq: seq, view: view) }
    }

    /// Indexes one record.
    package mutating func add(seq: UInt64, view: RecordView) {
        IndexEntries.forEach(view) { kind, hash in keys[Int(kind.rawValue)].add(hash: hash, seq: seq) }
        if view.kind == .traceStart {
            let tagHash = view.field(.tag).map { KeyHash.hash(.tag, $0) } ?? 0
            traceStarts.append(
                TraceStartEntry(time: view.time.microseconds, seq: seq, traceID: view.traceID, tagHash: tagHash))
        }
    }

    /// Candidate sequence numbers for a key hash, ascending.
    func seqs(_ kind: IndexKind, hash: UInt64) -> [UInt64] {
        keys[Int(kind.rawValue)].seqs(for: hash)
    }

    /// Sorted (hash, seq) pairs of one kind.
    package func sortedPairs(_ kind: IndexKind) -> [(UInt64, UInt64)] {
        keys[Int(kind.rawValue)].sortedPairs()
    }

    /// Number of postings of one kind.
    func count(_ kind: IndexKind) -> Int { keys[Int(kind.rawValue)].postings.count }

    /// The postings of one kind as index files store them: (stored hash, seq), sorted, without duplicates.
    package func storedPostings(_ kind: IndexKind) -> [(UInt32, UInt64)] {
        var result = sortedPairs(kind).map { (SegmentIndexFile.storedHash($0.0), $0.1) }
        result.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var unique: [(UInt32, UInt64)] = []
        unique.reserveCapacity(result.count)
        for pair in result where unique.last.map({ $0 != pair }) ?? true { unique.append(pair) }
        return unique
    }
}
