import Foundation
import TraceLogIngest
import TraceLogOTLP
import TraceLogStorage
import TraceLogWorkload

/// Writes the seed corpus: real bytes of every format, sliced to what each target takes.
///
/// Sources: the golden segment (`Tests/TraceLogStorageTests/Golden/Files`), sliced into batches and
/// decompressed payloads; the index file the index target's log starts with; records and native lines
/// of ``FuzzSamples``; the examples of `NativeEventFormat.md`; workload lines; a few Selinon fixture lines
/// (not native, but real JSON). Files are overwritten by name and nothing is deleted, so crash reproducers
/// (named `regression-…`) stay. Batch and index seeds come twice: with real checksums, and with the
/// checksum fields zeroed (`-fixup`), which the targets fill in (see ``Checksums``); two more index seeds
/// reach the key filter's checks.
public enum CorpusMaker {
    /// Writes the seeds under `root` (one directory per target); returns how many files each target got.
    public static func make(into root: String, goldenSegment: String, selinonLines: String) throws -> [String: Int] {
        var writer = SeedWriter(root: root)
        let golden = [UInt8](try Data(contentsOf: URL(fileURLWithPath: goldenSegment)))
        try batchAndRecordSeeds(golden: golden, &writer)
        try indexSeeds(&writer)
        try nativeSeeds(selinon: try String(contentsOfFile: selinonLines, encoding: .utf8), &writer)
        try roundTripSeeds(&writer)
        try otlpSeeds(&writer)
        try stromaSeeds(&writer)
        return writer.counts
    }

    /// Stroma documents: one of every value shape the scan reads, and one the scan leaves to the general path (an
    /// escaped key). The fixtures of `Tests/TraceLogIngestTests/Fixtures/stroma-*.json` are committed beside them.
    private static func stromaSeeds(_ writer: inout SeedWriter) throws {
        let shapes = #"""
            [{"node_id": "n\/1", "run_id": "r\u00e9", "attempt": 4294967295, "timestamp_utc": "2026-01-02T03:04:05.5+02:00",
              "input_state": {"a": [1, {"b": null}], "s": "\n"}, "output_state": {"deep": [[[]]]}, "duration_ms": 0.25,
              "failure": "TERMINAL", "failure_message": "boom \"quoted\" \ud834\udd1e"},
             {"node_id": "m", "run_id": "r\u00e9", "attempt": 1, "timestamp_utc": "2026-01-02T03:04:06+00:00",
              "input_state": {}, "output_state": null, "duration_ms": 1e2, "failure": null, "failure_message": null}]
            """#
        try writer.write(.stroma, "value-shapes.json", Array(shapes.utf8))
        let escapedKey = #"""
            [{"node_id": "n", "run_id": "r", "attempt": 1, "timestamp_utc": "2026-01-02T03:04:05+00:00",
              "input_state": {}, "output_state": null, "duration_ms": 1, "failure": null, "failure_message": null}]
            """#
        try writer.write(.stroma, "escaped-key.json", Array(escapedKey.utf8))
    }

    private static func batchAndRecordSeeds(golden: [UInt8], _ writer: inout SeedWriter) throws {
        let batches = Array(golden[32...])
        try writer.write(.batch, "golden-batches.bin", batches)
        var position = 0
        var number = 0
        while position < batches.count {
            let start = position
            let decoded = batches.withUnsafeBytes { BatchHeader.decode(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            guard case .success(let header) = decoded else { break }
            let batch = Array(batches[position..<position + header.totalLength])
            try writer.write(.batch, "golden-batch-\(number).bin", batch)
            try writer.write(.batch, "golden-batch-\(number)-fixup.bin", withoutBatchChecksums(batch))
            let stored = Array(batch[BatchHeader.size...])
            if header.codec == .lz4 { try writer.write(.lz4, "golden-batch-\(number).lz4", lz4Seed(stored, header)) }
            let payload = stored.withUnsafeBytes { BatchPayload.decode(header: header, stored: $0) }
            if case .success(let payload) = payload {
                var records = BinaryEncoder()
                for stored in try payload.records() { RecordEncoder.encode(stored.record, into: &records) }
                try writer.write(.record, "golden-payload-\(number).bin", records.bytes)
            }
            position += header.totalLength
            number += 1
        }
        let samples = FuzzSamples.records
        var builder = BatchBuilder(targetBytes: 1 << 16)
        for record in samples.prefix(14) { builder.add(record) }
        let built = builder.seal(baseSeq: 7) { _, framed in Array(framed) }
        try writer.write(.batch, "samples-batch.bin", built)
        try writer.write(.batch, "samples-batch-fixup.bin", withoutBatchChecksums(built))
        for (number, record) in samples.prefix(7).enumerated() {
            var single = BinaryEncoder()
            RecordEncoder.encode(record, into: &single)
            try writer.write(.record, "samples-\(number)-\(record.kind).bin", single.bytes)
        }
        var payload = BinaryEncoder()
        for record in samples { RecordEncoder.encode(record, into: &payload) }
        try writer.write(.lz4, "samples.lz4", lz4Seed(compressing: payload.bytes))
        try writer.write(.lz4, "empty.lz4", [0, 0, 0, 0, 0])
        try writer.write(.lz4, "literals.lz4", [5, 0, 0, 0, 0x50] + Array("hello".utf8))
    }

    private static func indexSeeds(_ writer: inout SeedWriter) throws {
        var index = IndexFixture.shared.originalIndex
        try writer.write(.index, "fixture.tlidx", index)
        let sections = Int(Checksums.load(UInt32.self, index, at: 32))
        for section in 0..<sections {
            let entry = 64 + section * 32
            let kind = Checksums.load(UInt32.self, index, at: entry)
            let count = Int(Checksums.load(UInt32.self, index, at: entry + 4))
            let offset = Int(Checksums.load(UInt64.self, index, at: entry + 8))
            // Block checksums too: 16-byte block-table entries of the batch and trace-start tables (64 entries a
            // block), 12-byte ones of the postings (128 keys a block).
            let (blocks, stride) =
                kind == 0 || kind == 16
                ? ((count + 63) / 64, 16) : (1...5).contains(kind) ? ((count + 127) / 128, 12) : (0, 0)
            for block in 0..<blocks { Checksums.clear(&index, field: offset + block * stride + 8) }
            if kind == 18 {
                // The key filter: a CRC32C per 4096-byte page of filter blocks after its 32-byte header.
                let arrayLength = Int(Checksums.load(UInt32.self, index, at: offset)) * 32
                for page in 0..<(arrayLength + 4095) / 4096 { Checksums.clear(&index, field: offset + 32 + page * 4) }
            }
            Checksums.clear(&index, field: entry + 24)
        }
        Checksums.clear(&index, field: 60)
        try writer.write(.index, "fixture-fixup.tlidx", index)
        try keyFilterSeeds(&writer)
        try stackSeeds(&writer)
    }

    /// The fixture log's filter stack: as written, with every checksum zeroed for the fix-up, and with its
    /// filter blocks zeroed under fixed-up checksums (sound checks, every key missed: what `verify` finds).
    private static func stackSeeds(_ writer: inout SeedWriter) throws {
        let original = IndexFixture.shared.originalStack
        try writer.write(.stack, "fixture.tlfs", original)
        guard original.count >= 64 else { return }
        let groups = Int(Checksums.load(UInt32.self, original, at: 8))
        let segments = Int(Checksums.load(UInt32.self, original, at: 12))
        let stride = Int(Checksums.load(UInt32.self, original, at: 16))
        let tableEnd = 64 + segments * 32
        let groupsOffset = (tableEnd + 4 + 4095) / 4096 * 4096
        var fixup = original
        Checksums.clear(&fixup, field: 60)
        Checksums.clear(&fixup, field: tableEnd)
        for group in 0..<groups { Checksums.clear(&fixup, field: groupsOffset + (group + 1) * stride - 4) }
        try writer.write(.stack, "fixture-fixup.tlfs", fixup)
        var zeroed = fixup
        for position in groupsOffset..<zeroed.count { zeroed[position] = 0 }
        try writer.write(.stack, "filters-zeroed-fixup.tlfs", zeroed)
    }

    /// Seeds that reach the key filter's checks: a filter byte damaged under a real page checksum (rejected by
    /// the lookup that reads it), and filter blocks all zero with the checksums left to the fix-up (a filter that
    /// passes its checksums but misses every key, which `verify` finds).
    private static func keyFilterSeeds(_ writer: inout SeedWriter) throws {
        let original = IndexFixture.shared.originalIndex
        let sections = Int(Checksums.load(UInt32.self, original, at: 32))
        guard
            let entry = (0..<sections).map({ 64 + $0 * 32 }).first(where: {
                Checksums.load(UInt32.self, original, at: $0) == 18
            })
        else { return }
        let offset = Int(Checksums.load(UInt64.self, original, at: entry + 8))
        let arrayLength = Int(Checksums.load(UInt32.self, original, at: offset)) * 32
        let blocks = (arrayLength + 4095) / 4096
        let tableEnd = offset + 32 + blocks * 4
        let array = (tableEnd + 4095) / 4096 * 4096
        guard arrayLength > 0 else { return }
        var damaged = original
        damaged[array + arrayLength / 2] ^= 0x10
        try writer.write(.index, "filter-damaged.tlidx", damaged)
        var zeroed = original
        for position in array..<array + arrayLength { zeroed[position] = 0 }
        for block in 0..<blocks { Checksums.clear(&zeroed, field: offset + 32 + block * 4) }
        Checksums.clear(&zeroed, field: entry + 24)
        try writer.write(.index, "filter-zeroed-fixup.tlidx", zeroed)
    }

    private static func nativeSeeds(selinon: String, _ writer: inout SeedWriter) throws {
        let examples = [
            #"{"type":"trigger_instance","id":"ti-1","time":"2026-11-22T10:00:00Z","trigger":"core.st2.webhook","#
                + #""source":"webhook","hook":"github","payload":{"ref":"main"},"trace":{"tag":"deploy-42"}}"#,
            #"{"type":"rule_enforcement","id":"re-1","time":"2026-11-22T10:00:00.002Z","rule":{"id":"r-9","#
                + #""ref":"ci.on_push"},"trigger_instance":"ti-1","execution":"ex-1","#
                + #""caused_by":{"type":"trigger_instance","id":"ti-1"}}"#,
            #"{"type":"execution","id":"ex-1","time":"2026-11-22T10:00:00.004Z","action":"ci.build","attempt":1,"#
                + #""status":"failed","failure":"RECOVERABLE","failure_message":"timeout","duration_ms":1500,"#
                + #""caused_by":{"type":"rule","id":"re-1"}}"#,
        ]
        try writer.write(.native, "format-examples.jsonl", lines(examples))
        let edges = [
            #"{"type":"trace","id":"0af7651916cd43dd8448eb211c80319c","tag":"t\u00e9\"g","origin":{"type":"execution","id":"e"}}"#,
            #"{"type":"causation_link","entity":{"type":"execution","id":"ex-2"},"caused_by":{"type":"rule","id":"re-1"}}"#,
            #"{"type":"flow_event","id":"d-1","event":"TASK_START","details":{"a":[1,2.5e-3,-0,true,null,"\ud83d\ude80"]},"node":"h"}"#,
            #" {"\u0074ype":"execution","id":"x","action":"a","time":"2026-02-28T23:59:60.1234567+02:00","input":null} "#,
            #"{"type":"execution","id":"x","action":"a","trace":{"id":null,"tag":null}}"#,
            #"{"type":"execution","id":"x","action":"a","attempt":0,"duration_ms":1e999}"#,
            #"{"type":"trigger_instance","id":"ti","trigger":"t","source":"timer","timer":"5m","payload":[[[[[]]]]]}"#,
            #"{"type":"execution","id":"x","action":"a","id":"dup"}"#,
            #"[1,2,3]"#, #"{"type":"execution","#, "",
        ]
        try writer.write(.native, "edge-cases.jsonl", lines(edges))
        let native = NativeEventWriter()
        let samples = FuzzSamples.records
        try writer.write(.native, "samples-trace.jsonl", lines(samples.prefix(7).map { native.line(for: $0) }))
        let workload = WorkloadGenerator(configuration: WorkloadConfiguration(seed: 7)).prefix(40)
        try writer.write(.native, "workload.jsonl", workload.flatMap { $0 + [0x0A] })
        try writer.write(.native, "selinon.jsonl", lines(selinon.split(separator: "\n").prefix(5).map(String.init)))
        try writer.write(.lz4, "workload.lz4", lz4Seed(compressing: workload.flatMap { $0 + [0x0A] }))
    }

    /// OTLP requests as the Collector's file exporter and the SDKs write them (JSON, protobuf), and a native line of an
    /// attempt that came from a span.
    private static func otlpSeeds(_ writer: inout SeedWriter) throws {
        let json = [
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},"#
                + #""scopeSpans":[{"scope":{"name":"inventory.http","version":"2.1.0"},"spans":[{"#
                + #""traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","#
                + #""parentSpanId":"EEE19B7EC3C1B173","name":"SELECT stock","kind":3,"#
                + #""startTimeUnixNano":"1795000000000100000","endTimeUnixNano":1795000000000900000,"#
                + #""attributes":[{"key":"db.rows","value":{"intValue":"42"}},{"key":"w","value":{"doubleValue":0.25}},"#
                + #"{"key":"b","value":{"bytesValue":"AAEC/w=="}},{"key":"l","value":{"arrayValue":{"values":[{"boolValue":true}]}}},"#
                + #"{"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}],"#
                + #""events":[{"timeUnixNano":"1795000000000500000","name":"cache.miss"}],"#
                + #""links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","flags":1}],"#
                + #""status":{"code":2,"message":"timeout"},"flags":257,"traceState":"k=v"}]}],"#
                + #""schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}]}"#,
            #"{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","#
                + #""span_id":"00f067aa0ba902b7","name":"x","kind":"SPAN_KIND_SERVER","status":{}}]}]}]}"#,
        ]
        try writer.write(.otlp, "collector-file-exporter.jsonl", lines(json))
        for (number, line) in json.enumerated() {
            let request = try OTLPJSONDecoder().request(from: Array(line.utf8))
            try writer.write(.otlp, "request-\(number).pb", try request.serializedBytes())
            let mapped = SpanMapping.events(from: request).spans
            let natives = mapped.map { span in
                NativeEventWriter().line(
                    for: Record(time: span.event.time!, traceID: span.event.trace!.id!, body: span.event.body))
            }
            try writer.write(.native, "otlp-span-\(number).jsonl", lines(natives))
        }
    }

    private static func roundTripSeeds(_ writer: inout SeedWriter) throws {
        var state: UInt64 = 0x7261_6365_6c6f_6721
        for number in 0..<8 {
            var bytes: [UInt8] = []
            for _ in 0..<(64 << (number % 4)) / 8 {
                // splitmix64: deterministic, well-spread bytes
                state &+= 0x9E37_79B9_7F4A_7C15
                var mixed = state
                mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
                mixed ^= mixed >> 31
                bytes += withUnsafeBytes(of: mixed.littleEndian) { Array($0) }
            }
            try writer.write(.roundtrip, "random-\(number).bin", bytes)
        }
    }

    // MARK: Helpers

    private static func lines(_ lines: [String]) -> [UInt8] {
        Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    private static func withoutBatchChecksums(_ batch: [UInt8]) -> [UInt8] {
        var bytes = batch
        Checksums.clear(&bytes, field: 48)
        Checksums.clear(&bytes, field: 52)
        return bytes
    }

    private static func lz4Seed(_ block: [UInt8], _ header: BatchHeader) -> [UInt8] {
        withUnsafeBytes(of: header.uncompressedLength.littleEndian) { Array($0) } + block
    }

    private static func lz4Seed(compressing bytes: [UInt8]) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: LZ4Block.compressBound(bytes.count))
        let length = bytes.withUnsafeBytes { source in
            block.withUnsafeMutableBytes { LZ4Block.compress(source, into: $0) }
        }
        return withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { Array($0) } + block[0..<length]
    }
}

/// Writes seed files into per-target directories and counts them.
private struct SeedWriter {
    let root: String
    var counts: [String: Int] = [:]

    mutating func write(_ target: FuzzTarget, _ name: String, _ bytes: [UInt8]) throws {
        let directory = URL(fileURLWithPath: root).appendingPathComponent(target.rawValue)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        counts[target.rawValue, default: 0] += 1
    }
}
