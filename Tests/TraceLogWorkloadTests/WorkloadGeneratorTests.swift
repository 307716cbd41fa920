import Foundation
import Testing
import TraceLogWorkload

@Suite("WorkloadGenerator")
struct WorkloadGeneratorTests {
    private func bytes(seed: UInt64, count: Int, mix: WorkloadMix = .mixed) -> [UInt8] {
        let generator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: seed, mix: mix))
        var iterator = generator.makeIterator()
        var output: [UInt8] = []
        for _ in 0..<count {
            iterator.appendNextLine(to: &output)
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    @Test("the same seed gives byte-identical output", arguments: [0, 1, 42, UInt64.max])
    func sameSeedSameBytes(seed: UInt64) {
        #expect(bytes(seed: seed, count: 5_000) == bytes(seed: seed, count: 5_000))
    }

    @Test("different seeds give different output")
    func differentSeedsDiffer() {
        #expect(bytes(seed: 1, count: 200) != bytes(seed: 2, count: 200))
        #expect(bytes(seed: 1, count: 200) != bytes(seed: 1, count: 200, mix: WorkloadMix(stackstorm: 1)))
    }

    @Test("the output is frozen: a change to it must be deliberate")
    func goldenFingerprint() {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64
        for byte in bytes(seed: 42, count: 10_000) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        // Update only when the workload is meant to change; benchmarks compare runs across commits.
        #expect(hash == 0xb61b_b1bb_38ae_3185)
    }

    @Test("next(), appendNextLine(to:) and writeLines(count:to:) produce the same bytes")
    func outputPathsAgree() throws {
        let configuration = WorkloadConfiguration(seed: 7)
        let viaSequence = WorkloadGenerator(configuration: configuration).prefix(3_000)
            .flatMap { $0 + [UInt8(ascii: "\n")] }
        #expect(viaSequence == bytes(seed: 7, count: 3_000))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("workload-\(UUID().uuidString).jsonl")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let statistics = try WorkloadGenerator(configuration: configuration)
            .writeLines(count: 3_000, to: handle.fileDescriptor)
        try handle.close()
        let written = try [UInt8](Data(contentsOf: url))
        #expect(written == viaSequence)
        #expect(statistics.lines == 3_000)
        #expect(statistics.bytes + statistics.lines == written.count)
        #expect(
            statistics.triggerInstances + statistics.ruleEnforcements + statistics.executions + statistics.flowEvents
                == 3_000)
    }

    @Test("a copied iterator continues independently with the same lines")
    func iteratorCopiesAreIndependent() {
        var original = WorkloadGenerator(configuration: WorkloadConfiguration(seed: 3)).makeIterator()
        for _ in 0..<777 { _ = original.next() }
        var copy = original
        let fromOriginal = (0..<2_000).map { _ in original.next()! }
        let fromCopy = (0..<2_000).map { _ in copy.next()! }
        #expect(fromOriginal == fromCopy)
    }

    @Test("writing to a closed descriptor throws a typed error naming it")
    func writeFailureIsReported() {
        #expect(throws: WorkloadOutputError.self) {
            try WorkloadGenerator(configuration: WorkloadConfiguration(seed: 1)).writeLines(count: 10, to: -1)
        }
        do {
            try WorkloadGenerator(configuration: WorkloadConfiguration(seed: 1)).writeLines(count: 10, to: -1)
        } catch {
            #expect(error.fileDescriptor == -1)
            #expect(error.errorNumber == EBADF)
            #expect(error.description.contains("file descriptor -1"))
        }
    }

    @Test("line shares follow the mix weights")
    func mixSharesFollowWeights() {
        var iterator = WorkloadGenerator(
            configuration: WorkloadConfiguration(seed: 11, mix: WorkloadMix(stackstorm: 2, stroma: 1, selinon: 1))
        ).makeIterator()
        for _ in 0..<40_000 { _ = iterator.next() }
        let shares = iterator.statistics.linesByKind.map { Double($0) / 40_000 }
        #expect(abs(shares[WorkloadKind.stackstorm.rawValue] - 0.5) < 0.02)
        #expect(abs(shares[WorkloadKind.stroma.rawValue] - 0.25) < 0.02)
        #expect(abs(shares[WorkloadKind.selinon.rawValue] - 0.25) < 0.02)
    }

    @Test("a single-kind mix emits only that kind", arguments: WorkloadKind.allCases)
    func singleKindMix(kind: WorkloadKind) {
        var mix = WorkloadMix()
        mix[kind] = 1
        var iterator = WorkloadGenerator(configuration: WorkloadConfiguration(seed: 5, mix: mix)).makeIterator()
        for _ in 0..<2_000 { _ = iterator.next() }
        #expect(iterator.statistics.linesByKind[kind.rawValue] == 2_000)
    }

    @Test("the first line carries the start time and times strictly increase")
    func virtualClock() throws {
        let start = RFC3339Time.microseconds(year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 59)
        let configuration = WorkloadConfiguration(seed: 9, startTimeMicroseconds: start, meanIntervalMicroseconds: 50)
        let lines = WorkloadGenerator(configuration: configuration).prefix(20_000)
            .map { String(decoding: $0, as: UTF8.self) }
        let times = try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["time"] as? String)
        }
        #expect(times.first == "2028-02-29T23:59:59.000000Z")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(times.last?.hasPrefix("2028-03-01T00:00:0") == true)  // ~1 s of virtual time at 50 µs per line
    }
}
