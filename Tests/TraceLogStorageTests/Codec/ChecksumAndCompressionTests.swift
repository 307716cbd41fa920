import Testing

@testable import TraceLogStorage

@Suite struct CRC32CTests {
    @Test func matchesTheStandardCheckValue() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32C.checksum(bytes) == 0xE306_9283)
        bytes.withUnsafeBytes { #expect(CRC32C.portableChecksum($0) == 0xE306_9283) }
    }

    @Test func hardwareAndPortablePathsAgree() {
        var generator = SystemRandomNumberGenerator()
        // Around the three-stream block sizes too: 3 × 256 and 3 × 2048 bytes.
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 767, 768, 769, 1000, 1543, 6_143, 6_144, 6_913, 20_001, 65_537] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.withUnsafeBytes { raw in
                #expect(CRC32C.checksum(raw) == CRC32C.portableChecksum(raw))
                let half = raw.count / 2
                let chained = CRC32C.checksum(
                    UnsafeRawBufferPointer(rebasing: raw[half...]),
                    seed: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<half])))
                #expect(chained == CRC32C.checksum(raw))
            }
        }
    }
}

@Suite struct LZ4BlockTests {
    @Test(arguments: [0, 1, 100, 65_536, 300_000])
    func roundTrips(length: Int) {
        let source = (0..<length).map { UInt8(truncatingIfNeeded: $0 / 3 &* 31) }
        var compressed = [UInt8](repeating: 0, count: LZ4Block.compressBound(length))
        let compressedLength = source.withUnsafeBytes { src in
            compressed.withUnsafeMutableBytes { LZ4Block.compress(src, into: $0) }
        }
        #expect(compressedLength > 0)
        var restored = [UInt8](repeating: 0, count: length)
        let ok = compressed.withUnsafeBytes { raw in
            restored.withUnsafeMutableBytes {
                LZ4Block.decompress(UnsafeRawBufferPointer(rebasing: raw[..<compressedLength]), into: $0)
            }
        }
        #expect(ok)
        #expect(restored == source)
    }

    @Test func garbageDoesNotDecompress() {
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01]
        var output = [UInt8](repeating: 0, count: 1000)
        let ok = garbage.withUnsafeBytes { raw in output.withUnsafeMutableBytes { LZ4Block.decompress(raw, into: $0) } }
        #expect(!ok)
    }
}
