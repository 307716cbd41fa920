extension LogReader {
    /// The sequence number of the first record of a trace still in the log, or nil when it has none.
    ///
    /// Cost: one index probe per segment and the read of the batch holding the first candidate (more only for
    /// key-hash collisions).
    public func firstSeq(inTrace traceID: TraceID) throws(LogError) -> UInt64? {
        try lookup(.traceID, hash: KeyHash.hash(traceID), limit: 1) { $0.traceID == traceID }.first?.seq
    }
}
