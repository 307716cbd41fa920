/// File names inside a log directory.
///
/// Segments are `<base seq, 20 digits>.tlseg`, so that name order is sequence order (as in Kafka).
/// Files being created end in `.tmp` and are renamed into place once complete and synced.
enum SegmentName {
    static let segmentSuffix = ".tlseg"
    static let temporarySuffix = ".tmp"
    static let lockFile = "LOCK"

    static func segment(baseSeq: UInt64) -> String {
        padded(baseSeq) + segmentSuffix
    }

    /// The base sequence number in a segment file name, or nil when the name is not a segment's.
    static func baseSeq(ofSegment name: String) -> UInt64? {
        guard name.hasSuffix(segmentSuffix) else { return nil }
        let digits = name.dropLast(segmentSuffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return UInt64(digits)
    }

    static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
