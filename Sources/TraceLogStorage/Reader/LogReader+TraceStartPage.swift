extension LogReader {
    /// The first `limit` trace starts of the log whose start time lies in `times`, in start-time order (time, then
    /// sequence number; newest or oldest first), and how many lie there — a page of `trace list` without
    /// filters. One pass over every trace-start table, read in place, keeping at most a few times `limit`
    /// entries: listing the newest 50 of a 10M-record log's 1.2M traces no longer builds and sorts all of them.
    package func traceStartPage(limit: Int, newestFirst: Bool, times: ClosedRange<Int64> = .min ... .max)
        throws(LogError) -> (starts: [TraceStartEntry], total: Int)
    {
        var page = TraceStartPage(limit: limit, newestFirst: newestFirst)
        for segment in try loadedSegments() {
            page.merge(try segment.traceStartPage(limit: limit, newestFirst: newestFirst, times: times))
        }
        return (page.entries, page.total)
    }
}
