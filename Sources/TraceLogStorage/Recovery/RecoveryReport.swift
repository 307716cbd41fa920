/// What opening a log for writing found and repaired.
public struct RecoveryReport: Hashable, Sendable, CustomStringConvertible {
    /// The torn, zero-filled or garbage tail that was cut from the last segment, if any.
    public var truncatedTail: DamagedRegion?
    /// Corrupt regions in the middle of the last segment; kept in place (never dropped with the data after them),
    /// and the segment was sealed so writing continues in a new one.
    public var damagedRegions: [DamagedRegion] = []
    /// Temporary files of an interrupted segment creation or index seal that were removed.
    public var removedTemporaryFiles: [String] = []
    /// Empty trailing segment files (no header, crash during creation) that were removed.
    public var removedEmptySegments: [String] = []

    /// Whether the log was already clean.
    public var isClean: Bool {
        truncatedTail == nil && damagedRegions.isEmpty && removedTemporaryFiles.isEmpty && removedEmptySegments.isEmpty
    }

    public var description: String {
        if isClean { return "clean" }
        var parts: [String] = []
        if let tail = truncatedTail { parts.append("truncated tail: \(tail)") }
        for region in damagedRegions { parts.append("corrupt batch kept: \(region)") }
        if !removedTemporaryFiles.isEmpty { parts.append("removed temporary files: \(removedTemporaryFiles)") }
        if !removedEmptySegments.isEmpty { parts.append("removed empty segments: \(removedEmptySegments)") }
        return parts.joined(separator: "; ")
    }
}
