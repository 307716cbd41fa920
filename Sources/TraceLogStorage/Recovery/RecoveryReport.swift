/// What opening a log for writing found and repaired.
///
/// Recovery looks at the last segment only (its cost does not depend on the size of the log); damage in sealed
/// segments is reported by ``LogReader/damage()``, by the queries it may affect, and by ``LogReader/verify()``.
public struct RecoveryReport: Hashable, Sendable, CustomStringConvertible {
    /// The torn, zero-filled or garbage tail that was cut from the last segment, if any.
    public var truncatedTail: DamagedRegion?
    /// Corrupt regions in the middle of the last segment; kept in place (never dropped with the data after them),
    /// and the segment was sealed so writing continues in a new one.
    public var damagedRegions: [DamagedRegion] = []
    /// The last segment's header, when it was damaged: the segment is kept as it is (nothing cut), sealed, and
    /// writing continues in a new segment after its last valid batch.
    public var damagedHeader: DamagedRegion?
    /// Temporary files of an interrupted segment creation or index seal that were removed.
    public var removedTemporaryFiles: [String] = []

    /// Whether the log was already clean.
    public var isClean: Bool {
        truncatedTail == nil && damagedRegions.isEmpty && damagedHeader == nil && removedTemporaryFiles.isEmpty
    }

    public var description: String {
        if isClean { return "clean" }
        var parts: [String] = []
        if let tail = truncatedTail { parts.append("truncated tail: \(tail)") }
        if let header = damagedHeader { parts.append("damaged segment header kept: \(header)") }
        for region in damagedRegions { parts.append("corrupt batch kept: \(region)") }
        if !removedTemporaryFiles.isEmpty { parts.append("removed temporary files: \(removedTemporaryFiles)") }
        return parts.joined(separator: "; ")
    }

    /// What recovery did, one line per finding, for a command to print as it is (`tracelog ingest` prints them
    /// on stderr); empty when the log was clean.
    ///
    /// A cut tail was never acknowledged in `sync` mode (acknowledgement waits for the `fdatasync` after the
    /// write), so it is a note; kept damage is a warning that `tracelog verify` and the queries it touches will
    /// report too.
    public var summary: [String] {
        var lines: [String] = []
        if let tail = truncatedTail {
            lines.append(
                "recovery: cut a torn tail of \(tail.length) bytes from \(tail.segment) at offset \(tail.offset)"
                    + " (\(tail.reason)); it held no acknowledged record")
        }
        if let header = damagedHeader {
            lines.append(
                "recovery: warning: damaged segment header kept: \(header); the segment is sealed as it is and"
                    + " writing continues in a new segment")
        }
        for region in damagedRegions {
            lines.append(
                "recovery: warning: damaged batch kept: \(region); the segment is sealed as it is and writing"
                    + " continues in a new segment")
        }
        for name in removedTemporaryFiles {
            lines.append("recovery: removed \(name), left by an interrupted segment creation or index seal")
        }
        return lines
    }
}
