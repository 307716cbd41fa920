import Foundation
import Testing
import TraceLogIngest

/// Parse throughput against Foundation's `JSONSerialization`, measured in the same run.
///
/// Disabled by default (wall-clock numbers mean nothing in a debug build or on a busy machine). Run with
/// `TRACELOG_INGEST_BENCHMARK=1 swift test -c release --filter NativeEventParserBenchmarkTests`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TRACELOG_INGEST_BENCHMARK"] != nil))
struct NativeEventParserBenchmarkTests {
    static let lineCount = 300_000

    @Test func parseThroughputAgainstFoundation() throws {
        let (text, ranges) = Self.makeLines(count: Self.lineCount)
        let averageLength = Double(text.count - ranges.count) / Double(ranges.count)
        let parser = NativeEventParser()
        var checksum = 0
        let native = try Self.bestOf(3) {
            try text.withUnsafeBytes { bytes in
                for (index, range) in ranges.enumerated() {
                    let line = UnsafeRawBufferPointer(rebasing: bytes[range])
                    let event = try parser.parse(line: line, lineNumber: index + 1)
                    checksum &+= event.time == nil ? 0 : 1
                }
            }
        }
        let foundation = try Self.bestOf(3) {
            for range in ranges {
                let object = try JSONSerialization.jsonObject(with: Data(text[range]))
                checksum &+= (object as? [String: Any])?.count ?? 0
            }
        }
        let nativeRate = Double(ranges.count) / native
        let foundationRate = Double(ranges.count) / foundation
        print(
            """
            native parse: \(Int(nativeRate)) lines/s (\(Int(nativeRate * averageLength / 1e6)) MB/s), \
            JSONSerialization: \(Int(foundationRate)) lines/s, ratio \(nativeRate / foundationRate), \
            average line \(Int(averageLength)) bytes, checksum \(checksum)
            """)
        #expect(checksum > 0)
    }

    @Test func readAndParseThroughputFromAFile() throws {
        let (text, ranges) = Self.makeLines(count: Self.lineCount)
        let name = "tracelog-bench-\(UUID()).jsonl"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text).write(to: URL(fileURLWithPath: path))
        let parser = NativeEventParser()
        var count = 0
        let seconds = try Self.bestOf(3) {
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            var reader = JSONLinesReader(fileDescriptor: descriptor)
            while let line = try reader.nextLine() {
                _ = try parser.parse(line)
                count += 1
            }
        }
        print("read + parse from a file: \(Int(Double(ranges.count) / seconds)) lines/s")
        #expect(count == 3 * ranges.count)
    }

    /// The best of `runs` timings of `body`, in seconds.
    static func bestOf(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let elapsed = try ContinuousClock().measure(body)
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    /// Lines shaped like the format document's examples (~235 bytes on average), joined by `\n`.
    static func makeLines(count: Int) -> (text: [UInt8], ranges: [Range<Int>]) {
        var text: [UInt8] = []
        var ranges: [Range<Int>] = []
        for index in 0..<count {
            let id = String(format: "5f1e%08x", index)
            let cause = String(format: "5f1e%08x", index &+ 7)
            let micros = String(format: "%06d", index % 1_000_000)
            let line: String
            switch index % 3 {
            case 0:
                line = """
                    {"type":"trigger_instance","id":"\(id)","time":"2026-11-22T10:00:00.\(micros)Z",\
                    "trigger":"core.st2.webhook","source":"webhook","hook":"github",\
                    "payload":{"ref":"main","after":"\(cause)"},"trace":{"tag":"deploy-\(index)"}}
                    """
            case 1:
                line = """
                    {"type":"rule_enforcement","id":"\(id)","time":"2026-11-22T10:00:00.\(micros)Z",\
                    "rule":{"id":"r-9","ref":"ci.on_push"},"trigger_instance":"\(cause)","execution":"ex-\(index)",\
                    "caused_by":{"type":"trigger_instance","id":"\(cause)"}}
                    """
            default:
                line = """
                    {"type":"execution","id":"\(id)","time":"2026-11-22T10:00:00.\(micros)Z","action":"ci.build",\
                    "attempt":1,"status":"failed","failure":"RECOVERABLE","failure_message":"timeout",\
                    "duration_ms":1500.25,"caused_by":{"type":"rule","id":"\(cause)"}}
                    """
            }
            let start = text.count
            text.append(contentsOf: line.utf8)
            ranges.append(start..<text.count)
            text.append(0x0A)
        }
        return (text, ranges)
    }
}
