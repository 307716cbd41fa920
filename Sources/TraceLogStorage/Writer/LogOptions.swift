/// When an append counts as acknowledged.
public enum Durability: Hashable, Sendable, CustomStringConvertible {
    /// Acknowledged once `fdatasync`'d. Concurrent appends share one `fdatasync` (group commit).
    /// Survives process and machine crashes.
    case sync
    /// Acknowledged once written to the operating system; a background flusher `fdatasync`s at least every
    /// `milliseconds`. Survives a process crash; a machine crash loses at most the last `milliseconds`.
    case interval(milliseconds: Int)
    /// Acknowledged once written to the operating system; synced only when a segment is sealed or the log
    /// closed. Survives a process crash, not a machine crash.
    case none

    /// Parses `sync`, `none`, `interval` (100 ms) or `interval:<ms>`.
    public init?(parsing text: String) {
        switch text {
        case "sync": self = .sync
        case "none": self = .none
        case "interval": self = .interval(milliseconds: 100)
        default:
            guard text.hasPrefix("interval:"), let milliseconds = Int(text.dropFirst("interval:".count)),
                milliseconds > 0
            else { return nil }
            self = .interval(milliseconds: milliseconds)
        }
    }

    public var description: String {
        switch self {
        case .sync: "sync"
        case .interval(let milliseconds): "interval:\(milliseconds)"
        case .none: "none"
        }
    }
}

/// How a log is written.
public struct LogOptions: Sendable {
    /// When appends are acknowledged. Default: ``Durability/sync``.
    public var durability: Durability
    /// A segment is sealed and a new one started once it reaches this size. Default 64 MiB.
    public var segmentMaxBytes: Int64
    /// A segment is also sealed once it is this old (seconds), if set. Default: none.
    public var segmentMaxAgeSeconds: Double?
    /// Uncompressed size at which a batch is closed and compressed. Default 16 KiB: a point lookup decompresses
    /// whole batches, and at 16 KiB `trace get` took 22 µs against 48 µs at 64 KiB, for a compression ratio of
    /// 2.9 instead of 3.6 (8 KiB was no faster and compressed to 2.4; see BENCHMARKS.md).
    public var batchTargetBytes: Int
    /// A test's I/O fault plan; nil in production.
    public var faults: FaultInjector?

    /// Creates options; every argument has the documented default.
    public init(
        durability: Durability = .sync, segmentMaxBytes: Int64 = 64 << 20, segmentMaxAgeSeconds: Double? = nil,
        batchTargetBytes: Int = 16 << 10, faults: FaultInjector? = nil
    ) {
        self.durability = durability
        self.segmentMaxBytes = segmentMaxBytes
        self.segmentMaxAgeSeconds = segmentMaxAgeSeconds
        self.batchTargetBytes = batchTargetBytes
        self.faults = faults
    }
}
