import Foundation
import Testing

/// The real `tracelog` on a damaged log: queries that touch the damage exit 1 naming segment and offset, or with
/// `--allow-damaged` answer from the readable records with a warning (and a `damage` member in JSON); `ingest`
/// prints what recovery found; `verify` names every damaged file.
@Suite struct DamagedLogTests {
    static let segment = "00000000000000000000.tlseg"

    /// One `ingest` per line (so each lands in a batch of its own): the victim trace, filler, the victim's second
    /// component, more filler. Returns the victim's trace id.
    private func makeLog(_ log: TemporaryLog) async throws -> String {
        let lines = [
            #"{"type":"execution","id":"ex-a","time":"2026-11-22T10:00:00Z","action":"first","trace":{"tag":"victim"}}"#,
            #"{"type":"execution","id":"f-1","time":"2026-11-22T10:00:01Z","action":"fill","trace":{"tag":"filler"}}"#,
            #"{"type":"execution","id":"ex-b","time":"2026-11-22T10:00:02Z","action":"second","caused_by":{"type":"execution","id":"ex-a"}}"#,
            #"{"type":"execution","id":"f-2","time":"2026-11-22T10:00:03Z","action":"fill","trace":{"tag":"late"}}"#,
        ]
        for line in lines {
            let ingest = try await CLIRun.tracelog(
                ["ingest", "--log", log.path, "--durability", "none", "-"], stdin: line + "\n")
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--trace-tag", "victim", "--json"])
        let traces = try #require((list.json as? [String: Any])?["traces"] as? [[String: Any]])
        return try #require(traces.first?["id"] as? String)
    }

    /// Flips a payload byte of the batch holding `ex-b` (the third batch: seq 4) and deletes the index
    /// checkpoint, so the rebuilt index no longer lists its record. Returns that batch.
    private func corruptSecondComponent(_ log: TemporaryLog) throws -> SegmentFiles.Batch {
        let path = log.path + "/" + Self.segment
        let batches = try SegmentFiles.batches(path)
        #expect(batches.count == 4)
        let victim = batches[2]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[victim.offset + 60] ^= 0x08
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: log.path + "/00000000000000000000.tlidx")
        return victim
    }

    /// The report's case: `trace get` said "not found" or showed fewer components, `trace list` was empty and
    /// `stats` counted fewer records, all with exit 0.
    @Test func queriesThatTouchACorruptBatchFailNamingSegmentAndOffset() async throws {
        let log = TemporaryLog()
        let id = try await makeLog(log)
        let victim = try corruptSecondComponent(log)
        let place = "\(Self.segment) at offset \(victim.offset)"

        let get = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path])
        #expect(get.status == 1)
        #expect(get.stdout.isEmpty)
        #expect(get.stderr.contains("error: damaged data may hide part of the answer: \(place)"), "\(get.stderr)")
        #expect(get.stderr.contains("seq \(victim.seqs.lowerBound)"))
        #expect(get.stderr.contains("--allow-damaged"))

        for arguments in [
            ["trace", "list", "--trace-tag", "victim"], ["trace", "list"], ["stats"], ["stats", "--json"],
        ] {
            let run = try await CLIRun.tracelog(arguments + ["--log", log.path])
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains(place), "\(arguments): \(run.stderr)")
        }
        let verify = try await CLIRun.tracelog(["verify", "--log", log.path])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("PROBLEM: corrupt batch: \(place)"))

        // A trace that starts after the damage cannot have records in it: it answers as usual.
        let late = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--trace-tag", "late", "--json"])
        #expect(late.status == 1, "a list may miss traces in the damage")
        let lateList = try await CLIRun.tracelog(
            ["trace", "list", "--log", log.path, "--trace-tag", "late", "--json", "--allow-damaged"])
        let lateID = try #require(
            ((lateList.json as? [String: Any])?["traces"] as? [[String: Any]])?.first?["id"] as? String)
        let lateGet = try await CLIRun.tracelog(["trace", "get", lateID, "--log", log.path])
        #expect(lateGet.status == 0)
        #expect(lateGet.stderr.isEmpty)
    }

    @Test func allowDamagedAnswersFromWhatIsReadableWithAWarning() async throws {
        let log = TemporaryLog()
        let id = try await makeLog(log)
        let victim = try corruptSecondComponent(log)
        let warning =
            "warning: the answer may be incomplete: damaged data in \(Self.segment) at offset \(victim.offset)"

        let get = try await CLIRun.tracelog(["trace", "get", id, "--log", log.path, "--json", "--allow-damaged"])
        #expect(get.status == 0)
        #expect(get.stderr.hasPrefix(warning), "\(get.stderr)")
        let trace = try #require(get.json as? [String: Any])
        #expect((trace["components"] as? [[String: Any]])?.map { $0["id"] as? String } == ["ex-a"])
        let damage = try #require((trace["damage"] as? [[String: Any]])?.first)
        #expect(damage["segment"] as? String == Self.segment)
        #expect(damage["offset"] as? Int == victim.offset)
        #expect(damage["first_seq"] as? Int == Int(victim.seqs.lowerBound))
        #expect(damage["end_seq"] as? Int == Int(victim.seqs.upperBound))

        let list = try await CLIRun.tracelog(["trace", "list", "--log", log.path, "--allow-damaged"])
        #expect(list.status == 0)
        #expect(list.stderr.hasPrefix(warning))
        #expect(list.stdout.contains("victim"))
        let stats = try await CLIRun.tracelog(["stats", "--log", log.path, "--allow-damaged", "--json"])
        #expect(stats.status == 0)
        let counts = try #require(stats.json as? [String: Any])
        #expect(counts["records"] as? Int == 6, "the 7 records written, less ex-b in the damaged batch")
        #expect((counts["damage"] as? [Any])?.count == 1)
    }

    @Test func ingestPrintsWhatRecoveryFoundAndWritesPastADamagedHeader() async throws {
        let log = TemporaryLog()
        _ = try await makeLog(log)
        let path = log.path + "/" + Self.segment
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 333))
        try handle.close()
        let event = #"{"type":"execution","id":"n-1","time":"2026-11-22T10:00:09Z","action":"new"}"# + "\n"
        let ingest = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: event)
        #expect(ingest.status == 0)
        #expect(ingest.stdout == "1 ingested, 0 rejected\n")
        #expect(
            ingest.stderr.hasPrefix(
                "recovery: cut a torn tail of 333 bytes from \(Self.segment) at offset \(size)"), "\(ingest.stderr)")

        // A flipped byte in the (only, last) segment's header: before, `ingest` refused to open the log and
        // `verify` said OK while readers skipped the segment.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[9] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let verify = try await CLIRun.tracelog(["verify", "--log", log.path])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("PROBLEM: \(Self.segment) at offset 0 (32 bytes"), "\(verify.stdout)")
        let more = #"{"type":"execution","id":"n-2","time":"2026-11-22T10:00:10Z","action":"new"}"# + "\n"
        let after = try await CLIRun.tracelog(["ingest", "--log", log.path, "-"], stdin: more)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains("recovery: warning: damaged segment header kept: \(Self.segment) at offset 0"))
        let replay = try await CLIRun.tracelog(["replay", "--log", log.path])
        #expect(replay.stdout.contains(#""id":"n-2""#), "the writer appended past the damage")
        #expect(replay.stdout.contains(#""id":"ex-b""#), "the damaged segment's records are still read")
        let stats = try await CLIRun.tracelog(["stats", "--log", log.path])
        #expect(stats.status == 1, "the damaged header is reported by queries that read the segment")
        #expect(stats.stderr.contains("\(Self.segment) at offset 0"))
    }
}
