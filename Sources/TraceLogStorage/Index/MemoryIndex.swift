/// The index of one segment held in memory: the active segment's (rebuilt on open, extended as records are
/// appended), or a sealed segment's whose index file is missing or corrupt.
///
/// Postings are chained per key hash in one flat array, so adding a record costs a dictionary update and an
/// append — no per-key arrays.
package struct MemoryIndex: Sendable {
    private struct Posting: Sendable {
        var seq: UInt64
        var previous: Int32
        /// The key's hash as index files store it (``SegmentIndexFile/storedHash(_:)``); it fills what would be
        /// padding, and lets ``KeyPostings/storedPostings()`` read the postings in order instead of walking chains.
        var stored: UInt32
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
            postings.append(Posting(seq: seq, previous: previous, stored: SegmentIndexFile.storedHash(hash)))
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
        /// Postings are added in sequence order, so a stable sort by stored hash alone orders them by (stored
        /// hash, seq): each posting is packed as its stored hash over its distance from the first posting's
        /// sequence number (under 2³¹: one segment's), radix-sorted by the high half, and unpacked in one pass
        /// that drops a sequence number two keys of one stored hash both hold. Every pass reads and writes
        /// memory in order; walking each key's chain instead waited for a cache miss per posting (a fifth of a
        /// second per million records when a segment's index was written).
        ///
        /// Sequence numbers added out of order (never the case when records are indexed in order) are still
        /// sorted: the packed values are then sorted whole.
        func storedPostings() -> [(UInt32, UInt64)] {
            var base = UInt64.max
            var ascending = true
            var last: UInt64 = 0
            for posting in postings {
                base = min(base, posting.seq)
                ascending = ascending && posting.seq >= last
                last = posting.seq
            }
            var packed: [UInt64] = []
            packed.reserveCapacity(postings.count)
            for posting in postings {
                packed.append(UInt64(posting.stored) << 32 | (posting.seq &- base))
            }
            if ascending { MemoryIndex.sortByHighHalf(&packed) } else { packed.sort() }
            var result: [(UInt32, UInt64)] = []
            result.reserveCapacity(packed.count)
            var previous = UInt64.max
            for value in packed where value != previous {
                previous = value
                result.append((UInt32(truncatingIfNeeded: value >> 32), base &+ (value & 0xFFFF_FFFF)))
            }
            return result
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
    /// Cost: three radix passes over the kind's postings and two more in order.
    package func storedPostings(_ kind: IndexKind) -> [(UInt32, UInt64)] {
        keys[Int(kind.rawValue)].storedPostings()
    }
}

extension MemoryIndex {
    /// Sorts `keys` by their high 32 bits, stably (keys with equal high halves keep their order): for many keys a
    /// least-significant-digit radix sort, three passes of 11 bits, about a tenth of the instructions of a
    /// comparison sort of the same keys. Few keys are sorted whole, which keeps the order of keys whose low halves
    /// arrive ascending, as ``KeyPostings/storedPostings()`` needs.
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
