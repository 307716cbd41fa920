/// The index of one segment: in memory (active segment, or rebuilt), a mapped index file (sealed), or a mapped
/// index file covering a prefix plus an in-memory index of the batches after it (a checkpointed active segment).
enum SegmentIndex: Sendable {
    case memory(MemoryIndex)
    case mapped(MappedSegmentIndex)
    case layered(MappedSegmentIndex, MemoryIndex)

    /// Candidate seqs for a key hash; ``MappedSegmentIndex/Invalid`` if a mapped block fails its check. With
    /// `askFilter` false, a mapped index's key filter is not read (the log's filter stack answered for it).
    func seqs(_ kind: IndexKind, hash: UInt64, askFilter: Bool = true) throws(MappedSegmentIndex.Invalid)
        -> [UInt64]
    {
        switch self {
        case .memory(let index): index.seqs(kind, hash: hash)
        case .mapped(let index): try index.seqs(kind, hash: hash, askFilter: askFilter)
        case .layered(let prefix, let tail):
            try prefix.seqs(kind, hash: hash, askFilter: askFilter) + tail.seqs(kind, hash: hash)
        }
    }

    /// Every posting of one kind as index files store it — (stored hash, seq), sorted, without duplicates —
    /// whichever form the index is in; for writing index files and for `verify`'s comparison.
    func storedPostings(_ kind: IndexKind) throws(MappedSegmentIndex.Invalid) -> [(UInt32, UInt64)] {
        switch self {
        case .memory(let index): index.storedPostings(kind)
        case .mapped(let index): try index.storedPostings(kind)
        case .layered(let prefix, let tail):
            (try prefix.storedPostings(kind) + tail.storedPostings(kind)).sorted {
                $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1
            }
        }
    }

    /// The key filter's keys: every (kind, stored hash) pair of the postings, once each (see
    /// ``KeyFilterSection/key(_:storedHash:)``); what ``FilterStack`` builds a segment's filter from.
    func filterKeys() throws(MappedSegmentIndex.Invalid) -> [UInt64] {
        var keys: [UInt64] = []
        for kind in IndexKind.allCases {
            var hashes: [UInt32]
            switch self {
            case .mapped(let index): hashes = try index.storedKeys(kind)
            case .memory(let index): hashes = index.storedPostings(kind).map(\.0)
            case .layered(let prefix, let tail):
                hashes = try prefix.storedKeys(kind) + tail.storedPostings(kind).map(\.0)
                hashes.sort()
            }
            var previous: UInt32?
            for hash in hashes where hash != previous {
                previous = hash
                keys.append(KeyFilterSection.key(kind.rawValue, storedHash: hash))
            }
        }
        return keys
    }

    func traceStarts() throws(MappedSegmentIndex.Invalid) -> [TraceStartEntry] {
        switch self {
        case .memory(let index): index.traceStarts
        case .mapped(let index): try index.traceStarts()
        case .layered(let prefix, let tail): try prefix.traceStarts() + tail.traceStarts
        }
    }

    /// Asks, without waiting, for the mapped trace-start blocks that hold `seqs` (ascending; see
    /// ``MappedSegmentIndex/prefetchTraceStarts(_:)``).
    func prefetchTraceStarts(_ seqs: [UInt64]) {
        switch self {
        case .memory: break
        case .mapped(let index), .layered(let index, _): index.prefetchTraceStarts(seqs)
        }
    }

    /// Calls `body` with every trace start, in sequence order.
    func forEachTraceStart(_ body: (TraceStartEntry) -> Void) throws(MappedSegmentIndex.Invalid) {
        switch self {
        case .memory(let index): index.traceStarts.forEach(body)
        case .mapped(let index): try index.forEachTraceStart(body)
        case .layered(let prefix, let tail):
            try prefix.forEachTraceStart(body)
            tail.traceStarts.forEach(body)
        }
    }

    /// The trace start recorded at `seq`, if one is.
    func traceStart(seq: UInt64) throws(MappedSegmentIndex.Invalid) -> TraceStartEntry? {
        switch self {
        case .memory(let index): index.traceStart(seq: seq)
        case .mapped(let index): try index.traceStart(seq: seq)
        case .layered(let prefix, let tail): try prefix.traceStart(seq: seq) ?? tail.traceStart(seq: seq)
        }
    }
}
