import Testing

@testable import TraceLogStorage

/// A one-byte block decompressed into zero bytes (found by the LZ4 fuzz target,
/// `tools/fuzz/Corpus/lz4/regression-empty-destination.lz4`): only the block liblz4 makes of no bytes is one.
@Suite struct LZ4BlockEmptyTests {
    static func decompressesToNothing(_ block: [UInt8]) -> Bool {
        block.withUnsafeBytes { source in
            LZ4Block.decompress(source, into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
        }
    }

    @Test func theBlockOfNoBytesDecompressesToNothing() {
        #expect(Self.decompressesToNothing([0x00]))
    }

    @Test(arguments: [[0x80], [0x05], [0xF0], [0x10], [0x00, 0x00], []] as [[UInt8]])
    func otherBlocksDoNotDecompressToNothing(_ block: [UInt8]) {
        #expect(!Self.decompressesToNothing(block))
    }
}
