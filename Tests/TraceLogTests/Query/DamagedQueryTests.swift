import Foundation
import Testing
import TraceLog
import TraceLogStorage

/// Queries never answer silently from a damaged log: they throw `LogError.damaged`, naming segment, offset and
/// seqs, or, with `DamagePolicy.allow`, answer from the readable records and list the damage.
@Suite struct DamagedQueryTests {
    /// A trace started in the first segment whose last component lands in a later sealed segment, with other
    /// traces around it; returns the victim's id and the seq of its last component.
    private func makeLog(_ fixture: StoreFixture) async throws -> (TraceID, UInt64) {
        var events = Events()
        try await fixture.ingest(events.execution("victim-1", tag: "victim"))
        for index in 0..<40 { try await fixture.ingest(events.execution("before-\(index)", tag: "filler")) }
        for step in 2...6 {
            try await fixture.ingest(events.execution("victim-\(step)", causedBy: .execution("victim-\(step - 1)")))
        }
        for index in 0..<40 { try await fixture.ingest(events.execution("middle-\(index)", tag: "filler")) }
        let last = try await fixture.store.ingest([events.execution("victim-7", causedBy: .execution("victim-6"))])
        for index in 0..<40 { try await fixture.ingest(events.execution("after-\(index)", tag: "filler")) }
        let id = try #require(try fixture.store.traceID(of: .execution("victim-1")))
        #expect(try fixture.store.trace(id)?.components.count == 7)
        try fixture.store.close()
        return (id, last.seqs.lowerBound)
    }

    /// Cuts the sealed segment holding `seq` in the middle of that seq's batch; returns the segment's name and
    /// where the next segment starts.
    private func truncateSegment(holding seq: UInt64, in directory: String) throws -> (name: String, next: UInt64) {
        let names = try SegmentFiles.segments(directory)
        let bases = names.compactMap { UInt64($0.dropLast(6)) }
        let index = try #require(bases.lastIndex { $0 <= seq })
        try #require(index + 1 < bases.count, "a sealed segment")
        let path = directory + "/" + names[index]
        let batch = try #require(try SegmentFiles.batches(path).first { $0.seqs.contains(seq) })
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: UInt64(batch.offset + 10))
        return (names[index], bases[index + 1])
    }

    /// The report's case: a sealed segment cut short made `trace get` return 6 of 7 components, exit 0.
    @Test func aTraceWithRecordsInATruncatedSegmentSaysSo() async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 1024))
        let (id, lastSeq) = try await makeLog(fixture)
        let (name, next) = try truncateSegment(holding: lastSeq, in: fixture.directory)

        let store = try TraceStore.openReadOnly(directory: fixture.directory)
        #expect {
            _ = try store.trace(id)
        } throws: { error in
            guard case .damaged(let regions) = error as? LogError, let region = regions.first else { return false }
            return regions.count == 1 && region.segment == name && region.seqs?.contains(lastSeq) == true
                && region.seqs?.upperBound == next && "\(error)".contains("\(name) at offset")
        }
        let answer = try store.trace(id, damage: .allow)
        #expect(answer.value?.components.count == 6)
        #expect(answer.damage.map(\.segment) == [name])
        #expect(
            answer.warnings.first?.hasPrefix("warning: the answer may be incomplete: damaged data in \(name)") == true)

        // Every list and the statistics may be short: they say so too.
        #expect(throws: LogError.self) { _ = try store.listTraces(TraceQuery(tag: "victim")) }
        #expect(throws: LogError.self) { _ = try store.listTraces(TraceQuery()) }
        #expect(throws: LogError.self) { _ = try store.statistics(damage: .fail) }
        let page = try store.listTraces(TraceQuery(tag: "victim"), damage: .allow)
        #expect(page.value.traces.map(\.id) == [id])
        #expect(page.damage.map(\.segment) == [name])
        #expect(try store.statistics(damage: .allow).damage.map(\.segment) == [name])
    }

    /// Damage that lies before a trace's first record cannot hold any of its records: that trace answers.
    @Test func aTraceThatStartsAfterTheDamageAnswersNormally() async throws {
        let fixture = try StoreFixture(
            options: LogOptions(durability: .none, segmentMaxBytes: 4096, batchTargetBytes: 1024))
        let (id, lastSeq) = try await makeLog(fixture)
        _ = try truncateSegment(holding: lastSeq, in: fixture.directory)

        let store = try TraceStore.openReadOnly(directory: fixture.directory)
        let later = try #require(try store.traceID(of: .execution("after-39")))
        #expect(try store.trace(later)?.components.map(\.id) == ["after-39"])
        #expect(throws: LogError.self) { _ = try store.trace(id) }
        // An unknown trace may be in the damage: "not found" would hide it.
        #expect(throws: LogError.self) { _ = try store.trace(TraceID(high: 7, low: 7)) }
        #expect(try store.trace(TraceID(high: 7, low: 7), damage: .allow).damage.count == 1)
    }
}
