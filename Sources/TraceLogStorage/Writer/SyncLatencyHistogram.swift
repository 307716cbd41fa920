/// The latency of a log's `fdatasync` calls as a histogram: how many took at most each bound.
///
/// Buckets are fixed (50 µs to 10 s), so recording one sync costs a few comparisons and a lock held for an
/// increment; `/metrics` renders it as the Prometheus histogram `tracelog_fsync_duration_seconds`.
public struct SyncLatencyHistogram: Hashable, Sendable {
    /// Upper bounds of the buckets, in seconds; a last bucket holds the rest (`+Inf`).
    public static let bounds: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
    ]

    /// Syncs per bucket (not cumulative): `counts[i]` took more than `bounds[i - 1]` and at most `bounds[i]`;
    /// the last one more than every bound.
    public var counts: [Int]
    /// Syncs in all.
    public var count: Int
    /// Their total time, in nanoseconds.
    public var nanoseconds: UInt64

    /// The bucket a sync of `nanoseconds` falls in.
    static func bucket(of nanoseconds: UInt64) -> Int {
        let seconds = Double(nanoseconds) / 1e9
        return bounds.firstIndex { seconds <= $0 } ?? bounds.count
    }
}
