public import TraceLogStorage

extension TraceStore {
    /// Retention on an open store: deletes whole sealed segments whose records are all older than `cutoff`,
    /// keeping the start of every trace that has records left (see ``TraceLogStorage/LogWriter/deleteSegments(olderThan:)``).
    ///
    /// Runs between ingests (never during one); afterwards resolution forgets what it knew about the deleted
    /// entities and traces, and queries no longer see them. What `tracelog purge`, `serve --retention` and
    /// `POST /v1/purge` run. Cost: that of `deleteSegments` plus a refresh of the reader.
    public func purge(before cutoff: Timestamp) throws(LogError) -> RetentionResult {
        guard let writer else { throw .invalidArgument("the log is open read-only") }
        return try resolution.withLock { cache throws(LogError) -> RetentionResult in
            let result = try writer.deleteSegments(olderThan: cutoff)
            if !result.deletedSegments.isEmpty || result.carriedTraceStarts > 0 {
                // Entities of deleted traces must not be joined again: a later event about one starts afresh.
                cache = ResolutionCache()
                try reader.refresh()
            }
            return result
        }
    }
}
