import CLZ4Bench
import Foundation

/// The physical ceiling on the same bytes: the batches TraceLog stored, read back from its segment files
/// (format: Sources/TraceLogStorage/TraceLogStorage.docc/OnDiskFormat.md), decompressed with liblz4, compressed
/// again, and copied with memcpy. No checksums, no record decoding, no index: what the hardware allows.
struct Ceiling {
    struct Batch {
        var codec: UInt16
        var records: Int
        var uncompressedLength: Int
        var stored: [UInt8]
    }

    var batches: [Batch] = []
    var records: Int { batches.reduce(0) { $0 + $1.records } }
    var uncompressedBytes: Int { batches.reduce(0) { $0 + $1.uncompressedLength } }
    var storedBytes: Int { batches.reduce(0) { $0 + $1.stored.count } }

    /// Reads every batch of every segment file in `directory`.
    init(directory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tlseg") }.sorted()
        for name in names {
            let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            var offset = 32
            func u32(_ at: Int) -> Int {
                Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24
            }
            while offset + 56 <= data.count, data[offset] == UInt8(ascii: "T"), data[offset + 3] == UInt8(ascii: "1") {
                let codec = UInt16(data[offset + 6]) | UInt16(data[offset + 7]) << 8
                let count = u32(offset + 16)
                let uncompressed = u32(offset + 20)
                let stored = u32(offset + 24)
                guard offset + 56 + stored <= data.count else { break }
                batches.append(
                    Batch(codec: codec, records: count, uncompressedLength: uncompressed,
                          stored: Array(data[(offset + 56)..<(offset + 56 + stored)])))
                offset += 56 + stored
            }
        }
    }

    struct Result {
        var seconds: Double
        var bytes: Int
        var bytesPerSecond: Double { Double(bytes) / seconds }
    }

    /// LZ4-decompresses every batch (best of `repeats`); returns the uncompressed payloads too.
    func decompress(repeats: Int = 3) -> (Result, [[UInt8]]) {
        var outputs = batches.map { [UInt8](repeating: 0, count: $0.uncompressedLength) }
        var best = Double.infinity
        for _ in 0..<repeats {
            let (_, seconds) = timed {
                for index in batches.indices {
                    let batch = batches[index]
                    if batch.codec == 1 {
                        let written = batch.stored.withUnsafeBufferPointer { source in
                            outputs[index].withUnsafeMutableBufferPointer { target in
                                source.withMemoryRebound(to: CChar.self) { src in
                                    target.withMemoryRebound(to: CChar.self) { dst in
                                        LZ4_decompress_safe(
                                            src.baseAddress, dst.baseAddress, Int32(batch.stored.count), Int32(dst.count))
                                    }
                                }
                            }
                        }
                        precondition(Int(written) == batch.uncompressedLength, "LZ4 decompression failed")
                    } else {
                        outputs[index] = batch.stored
                    }
                }
            }
            best = min(best, seconds)
        }
        return (Result(seconds: best, bytes: uncompressedBytes), outputs)
    }

    /// LZ4-compresses every uncompressed payload (LZ4_compress_default, as TraceLog's writer), best of `repeats`.
    static func compress(_ payloads: [[UInt8]], repeats: Int = 3) -> Result {
        let bound = payloads.map(\.count).max().map { Int(LZ4_compressBound(Int32($0))) } ?? 0
        var target = [UInt8](repeating: 0, count: bound)
        var best = Double.infinity
        var total = 0
        for _ in 0..<repeats {
            total = 0
            let (_, seconds) = timed {
                for payload in payloads {
                    let written = payload.withUnsafeBufferPointer { source in
                        target.withUnsafeMutableBufferPointer { output in
                            source.withMemoryRebound(to: CChar.self) { src in
                                output.withMemoryRebound(to: CChar.self) { dst in
                                    LZ4_compress_default(src.baseAddress, dst.baseAddress, Int32(src.count), Int32(dst.count))
                                }
                            }
                        }
                    }
                    total += payload.count
                    precondition(written > 0, "LZ4 compression failed")
                }
            }
            best = min(best, seconds)
        }
        return Result(seconds: best, bytes: total)
    }

    /// memcpy of every payload into one buffer, best of `repeats`.
    static func copy(_ payloads: [[UInt8]], repeats: Int = 3) -> Result {
        let total = payloads.reduce(0) { $0 + $1.count }
        let target = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 64)
        defer { target.deallocate() }
        memset(target, 1, total)  // fault the pages in first
        var best = Double.infinity
        for _ in 0..<repeats {
            let (_, seconds) = timed {
                var offset = 0
                for payload in payloads {
                    payload.withUnsafeBytes { memcpy(target + offset, $0.baseAddress!, $0.count) }
                    offset += payload.count
                }
            }
            best = min(best, seconds)
        }
        return Result(seconds: best, bytes: total)
    }
}
