extension LogReader {
    /// Asks for what looking up each of `traces` reads, for a caller about to read them one after another (a
    /// page of `trace list`), in three rounds for them all: every key's filter stack group and the key filter
    /// pages of segments the stack does not cover, and the batch-table block tables of the segments holding each
    /// trace's known record (`near`: its trace start); then, with those read, each key's postings where a filter
    /// says its segment may hold it, and the batch-table block holding each `near`; then the batch holding each
    /// `near`. The lookups that follow then find their pages read or in flight, instead of waiting for about four
    /// rounds of reads each.
    ///
    /// Only a prefetch: nothing here decides an answer, and whatever fails a check or cannot be located is left
    /// to the lookups to report. Cost: about a dozen `madvise` calls per trace on a cold cache (each page is
    /// asked for once per mapping), none when everything was asked for before.
    package func prefetchTraces(_ traces: [(id: TraceID, near: UInt64)]) {
        guard traces.count > 1, let all = try? loadedSegments(), !all.isEmpty else { return }
        let hashes = traces.map { KeyHash.hash($0.id) }
        let holders = traces.map { trace in all.last { $0.baseSeq <= trace.near } }
        let stack = filterStack.withLock { $0 }
        // Each segment's table entry in the stack, if the stack covers it as it is now.
        let entries = all.map { segment in stack?.entryIndex(baseSeq: segment.baseSeq, endSeq: segment.endSeq) }
        let useStack = entries.contains { $0 != nil }
        if useStack { for hash in hashes { stack?.prefetch(.traceID, hash: hash) } }
        for (segment, entry) in zip(all, entries) where !useStack || entry == nil {
            for hash in hashes { segment.prefetchFilter(.traceID, hash: hash) }
        }
        for holder in holders { holder?.prefetchBatchTable() }
        for hash in hashes {
            let passes = useStack ? stack?.passMask(.traceID, hash: hash) : nil
            for (segment, entry) in zip(all, entries) {
                if let passes, let entry {
                    if passes & (1 << UInt64(entry)) != 0 {
                        segment.prefetchPostings(.traceID, hash: hash, askFilter: false)
                    }
                } else {
                    segment.prefetchPostings(.traceID, hash: hash)
                }
            }
        }
        for (trace, holder) in zip(traces, holders) { holder?.prefetchBatchBlock(holding: trace.near) }
        for trace in traces { prefetchBatch(holding: trace.near) }
    }
}
