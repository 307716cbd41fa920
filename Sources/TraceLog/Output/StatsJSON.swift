public import TraceLogStorage

extension LogStatistics {
    /// `tracelog stats --json`: `{"records","traces","segments","batches","segment_bytes","index_bytes",
    /// "uncompressed_bytes","compression_ratio","bytes_per_record","oldest_record_time","newest_record_time"}`
    /// (ratios rounded to 2 and 1 decimals; times RFC 3339, null for an empty log), then `"damage"` when `damage`
    /// is not empty. One shape for every adapter.
    public func json(damage: [DamagedRegion]) -> JSONValue {
        JSONValue.object([
            ("records", .int(Int64(records))), ("traces", .int(Int64(traces))), ("segments", .int(Int64(segments))),
            ("batches", .int(Int64(batches))), ("segment_bytes", .int(segmentBytes)), ("index_bytes", .int(indexBytes)),
            ("uncompressed_bytes", .int(uncompressedBytes)),
            ("compression_ratio", .double((compressionRatio * 100).rounded() / 100)),
            ("bytes_per_record", .double((bytesPerRecord * 10).rounded() / 10)),
            ("oldest_record_time", .string(oldestRecordTime?.description)),
            ("newest_record_time", .string(newestRecordTime?.description)),
        ]).adding(damage: damage)
    }
}
