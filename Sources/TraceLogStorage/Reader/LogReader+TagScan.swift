extension LogReader {
    /// The entries of `starts` whose trace tag satisfies `isMatch` — a tag filter that is not one exact tag (a
    /// glob, a prefix), at the least cost this log format allows.
    ///
    /// The trace-start tables hold each trace's tag hash, not its text, and the tag index maps a hash to its
    /// traces, not the other way: no index lists the distinct tags. So the entries are grouped by tag hash and
    /// the tag text is read once per distinct hash, from the trace-start record of one trace of the group (its
    /// tag field only, from the record's view; nothing else is decoded), reading each batch that holds such a
    /// record once. A predicate therefore runs once per distinct tag, and a log whose runs share a few tags reads
    /// a few batches, however many traces there are; when every trace has its own tag it reads each batch that
    /// holds a trace start.
    ///
    /// Matching is on the 64-bit hash, like ``traceStarts(tag:)``: the traces of a tag whose hash collides with a
    /// matching tag's (odds about n²/2⁶⁵ over n distinct tags) are returned too, so callers that return traces
    /// check their tag (the trace-start record is the first record of ``records(inTrace:)``).
    ///
    /// - Parameter starts: trace starts of this log (``traceStarts()``, usually narrowed by time first).
    /// - Returns: the matching entries, in the order of `starts`.
    public func traceStarts(_ starts: [TraceStartEntry], taggedWhere isMatch: (String) -> Bool) throws(LogError)
        -> [TraceStartEntry]
    {
        var representatives: [UInt64: UInt64] = [:]  // tag hash → seq of one trace start with that hash
        for entry in starts where representatives[entry.tagHash] == nil {
            representatives[entry.tagHash] = entry.seq
        }
        var matching = Set<UInt64>()
        _ = try lookup(seqs: representatives.values.sorted()) { view in
            guard view.kind == .traceStart, let tag = view.field(.tag) else { return false }
            if isMatch(String(decoding: tag, as: UTF8.self)) { matching.insert(KeyHash.hash(.tag, tag)) }
            return false  // nothing to decode: the tag is all that is needed
        }
        return starts.filter { matching.contains($0.tagHash) }
    }
}
