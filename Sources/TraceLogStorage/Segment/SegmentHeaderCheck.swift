/// Tells whether a segment file's header is sound, the same way for readers, recovery and `verify`.
///
/// A segment is created as `<name>.tmp`, its header written and `fdatasync`'d, then renamed into place (see
/// ``LogDirectory/createSegment(baseSeq:createdAt:)``): a crash during creation leaves at most a `.tmp` file,
/// which is never read and is removed by the next writer. So a file under a segment name whose header is
/// incomplete, fails its checksum or names another base sequence number is damage, wherever it sits in the log,
/// and is reported, never skipped.
enum SegmentHeaderCheck {
    /// The damaged header of `file` as a region (offset 0, the header's bytes), or nil when it is sound.
    /// Throws only when the file cannot be read.
    static func damage(of file: OpenFile, entry: SegmentEntry) throws(LogError) -> DamagedRegion? {
        switch try check(file, entry: entry) {
        case .sound: nil
        case .damaged(let damage): damage
        }
    }

    /// What a header check found.
    enum Outcome {
        case sound(SegmentHeader)
        /// The damage as a region: offset 0, the header's bytes (fewer when the file is shorter).
        case damaged(DamagedRegion)
    }

    /// The header of `file`, or its damage.
    static func check(_ file: OpenFile, entry: SegmentEntry) throws(LogError) -> Outcome {
        let bytes = try withIOErrors { () throws(SystemError) in try file.read(count: SegmentHeader.size, at: 0) }
        let reason: String
        switch SegmentHeader.decode(bytes) {
        case .success(let header) where header.baseSeq == entry.baseSeq: return .sound(header)
        case .success(let header): reason = "header says base seq \(header.baseSeq), the file name \(entry.baseSeq)"
        case .failure(let error):
            reason =
                bytes.count < SegmentHeader.size ? "segment header is incomplete (\(bytes.count) bytes)" : "\(error)"
        }
        return .damaged(
            DamagedRegion(
                segment: entry.name, offset: 0, length: Int64(bytes.count), reason: "damaged segment header: \(reason)")
        )
    }
}
