import Foundation

/// Reads a segment file's batch headers by hand (the layout of OnDiskFormat.md), so tests can damage one batch.
enum SegmentFiles {
    struct Batch {
        var offset: Int
        var length: Int
        var seqs: Range<UInt64>
    }

    /// The batches of the segment file at `path`, in file order (stops at the first header without the magic).
    static func batches(_ path: String) throws -> [Batch] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func integer(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        var batches: [Batch] = []
        var offset = 32
        while offset + 56 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("TLB1".utf8) {
            let base = integer(offset + 8, 8)
            let length = 56 + Int(integer(offset + 24, 4))
            batches.append(Batch(offset: offset, length: length, seqs: base..<base + integer(offset + 16, 4)))
            offset += length
        }
        return batches
    }

    /// The segment files of a log directory, oldest first.
    static func segments(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tlseg") }.sorted()
    }
}
