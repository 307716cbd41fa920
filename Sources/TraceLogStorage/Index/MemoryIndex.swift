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

        /// Adds a posting unless it repeats the key's last one. The slot's mark holds the low 32 bits of the
        /// head's sequence number, which decide: one segment holds fewer than 2³¹ records (each adds a trace id
        /// posting, and postings are counted in an `Int32`), so two of its sequence numbers that agree in their
        /// low 32 bits are equal.
        mutating func add(hash: UInt64, seq: UInt64) {
            let slot = heads.slot(for: hash)
            let previous = heads.value(atSlot: slot)
            let mark = UInt32(truncatingIfNeeded: seq)
            if previous >= 0, heads.mark(atSlot: slot) == mark { return }
            heads.setValue(Int32(postings.count), mark: mark, atSlot: slot)
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

        /// The postings as index files store them: (stored hash, seq) sorted, without duplicates.
        ///
        /// One sort, of the keys rather than the postings: each key's chain is already in descending sequence
        /// order (records are added in sequence order), so after sorting the (stored hash, chain head) pairs each
        /// chain is copied out backwards. Keys whose stored hashes collide (the high 32 bits of two key hashes)
        /// are merged by sorting just their group, which also drops a sequence number both keys hold.
        func storedPostings() -> [(UInt32, UInt64)] {
            var order: [UInt64] = []
            order.reserveCapacity(heads.count)
            heads.forEach { hash, head in
                order.append(UInt64(SegmentIndexFile.storedHash(hash)) << 32 | UInt64(UInt32(bitPattern: head)))
            }
            MemoryIndex.sortByHighHalf(&order)
            var result: [(UInt32, UInt64)] = []
            result.reserveCapacity(postings.count)
            postings.withUnsafeBufferPointer { postings in
                var group = 0
                while group < order.count {
                    let stored = UInt32(truncatingIfNeeded: order[group] >> 32)
                    var end = group + 1
                    while end < order.count, UInt32(truncatingIfNeeded: order[end] >> 32) == stored { end += 1 }
                    let first = result.count
                    var descending = true
                    for key in group..<end {
                        var cursor = Int32(truncatingIfNeeded: order[key])
                        var last = UInt64.max
                        while cursor >= 0 {
                            let posting = postings[Int(cursor)]
                            descending = descending && posting.seq < last
                            last = posting.seq
                            result.append((stored, posting.seq))
                            cursor = posting.previous
                        }
                    }
                    if end - group == 1, descending {
                        // In place: reversing `result[first...]` copied the slice and wrote it back.
                        var low = first
                        var high = result.count - 1
                        while low < high {
                            result.swapAt(low, high)
                            low += 1
                            high -= 1
                        }
                    } else {
                        Self.sortUnique(&result, from: first, stored: stored)
                    }
                    group = end
                }
            }
            return result
        }

        /// Sorts `pairs[start...]` (all of stored hash `stored`) by sequence number and drops duplicates.
        private static func sortUnique(_ pairs: inout [(UInt32, UInt64)], from start: Int, stored: UInt32) {
            var seqs = pairs[start...].map(\.1)
            seqs.sort()
            pairs.removeSubrange(start...)
            for (index, seq) in seqs.enumerated() where index == 0 || seqs[index - 1] != seq {
                pairs.append((stored, seq))
            }
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

    /// A posting waiting for its key's slot to arrive in the cache (see ``add(_:)``).
    private struct PendingPosting: Sendable {
        var kind: IndexKind
        var hash: UInt64
        var seq: UInt64
    }

    /// The postings of the batch being added; kept between batches for its capacity.
    private var pending: [PendingPosting] = []

    /// Indexes every record of a batch.
    ///
    /// In two passes: the first finds every key of the batch and asks the processor for the hash-table slot each
    /// will probe; the second inserts them. The active segment's tables outgrow the caches (millions of keys), and
    /// inserting as the keys are found waited for one cache miss after another: 16% of the ingest pipeline's
    /// thread time under HTTP load went to that wait.
    package mutating func add(_ payload: BatchPayload) {
        pending.removeAll(keepingCapacity: true)
        payload.forEachView { seq, view in
            IndexEntries.forEach(view) { kind, hash in
                keys[Int(kind.rawValue)].heads.prefetch(hash)
                pending.append(PendingPosting(kind: kind, hash: hash, seq: seq))
            }
            if view.kind == .traceStart { addTraceStart(seq: seq, view: view) }
        }
        for posting in pending { addPosting(posting.kind, hash: posting.hash, seq: posting.seq) }
    }

    /// Indexes one record.
    package mutating func add(seq: UInt64, view: RecordView) {
        IndexEntries.forEach(view) { kind, hash in addPosting(kind, hash: hash, seq: seq) }
        if view.kind == .traceStart { addTraceStart(seq: seq, view: view) }
    }

    private mutating func addTraceStart(seq: UInt64, view: RecordView) {
        let tagHash = view.field(.tag).map { KeyHash.hash(.tag, $0) } ?? 0
        traceStarts.append(
            TraceStartEntry(time: view.time.microseconds, seq: seq, traceID: view.traceID, tagHash: tagHash))
    }

    /// Adds one posting (records are indexed in sequence order; a repeat of a key's last posting is dropped).
    mutating func addPosting(_ kind: IndexKind, hash: UInt64, seq: UInt64) {
        keys[Int(kind.rawValue)].add(hash: hash, seq: seq)
    }

    /// Candidate sequence numbers for a key hash, ascending.
    func seqs(_ kind: IndexKind, hash: UInt64) -> [UInt64] {
        keys[Int(kind.rawValue)].seqs(for: hash)
    }

    /// Number of postings of one kind.
    func count(_ kind: IndexKind) -> Int { keys[Int(kind.rawValue)].postings.count }

    /// The postings of one kind as index files store them: (stored hash, seq), sorted, without duplicates.
    ///
    /// Cost: a sort of the kind's distinct keys (not of its postings) and one pass over the postings.
    package func storedPostings(_ kind: IndexKind) -> [(UInt32, UInt64)] {
        keys[Int(kind.rawValue)].storedPostings()
    }
}

extension MemoryIndex {
    /// Sorts `keys` by their high 32 bits (keys with equal high halves in no particular order): for many keys a
    /// least-significant-digit radix sort, three passes of 11 bits, about a tenth of the instructions of a
    /// comparison sort of the same keys.
    static func sortByHighHalf(_ keys: inout [UInt64]) {
        guard keys.count > 256 else {
            keys.sort()
            return
        }
        var scratch = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 2048)
        for shift in stride(from: UInt64(32), to: 64, by: 11) {
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        counts.update(repeating: 0)
                        for key in source { counts[Int(truncatingIfNeeded: key >> shift & 2047)] += 1 }
                        var total = 0
                        for digit in 0..<2048 {
                            let count = counts[digit]
                            counts[digit] = total
                            total += count
                        }
                        for key in source {
                            let digit = Int(truncatingIfNeeded: key >> shift & 2047)
                            target[counts[digit]] = key
                            counts[digit] += 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }
}
