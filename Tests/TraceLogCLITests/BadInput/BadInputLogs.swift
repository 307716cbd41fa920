import Foundation
import Synchronization
import Testing

/// Baseline logs (built once per format and copied for each case) and what a log holds, read back with
/// `tracelog replay`.
enum BadInputLogs {
    /// Where this process keeps its baseline logs; removed when it exits.
    static let root = NSTemporaryDirectory() + "/tracelog-bad-input-\(getpid())"
    private static let baselines = Mutex<[InputFormat: Task<Baseline, any Error>]>([:])
    private static let expected = Mutex<[String: (replay: [String], ingested: Int)]>([:])

    /// The baseline log of `format`, ingested on first use (concurrent first uses share one ingest).
    static func baseline(_ format: InputFormat) async throws -> Baseline {
        let task = baselines.withLock { cache in
            if let known = cache[format] { return known }
            if cache.isEmpty { atexit { try? FileManager.default.removeItem(atPath: BadInputLogs.root) } }
            let task = Task { try await makeBaseline(format) }
            cache[format] = task
            return task
        }
        return try await task.value
    }

    private static func makeBaseline(_ format: InputFormat) async throws -> Baseline {
        let template = root + "/baseline-\(format.rawValue)"
        let ingest = try await ingestText(BadInputMatrix.baselineInput(format), as: format, into: template)
        try #require(ingest.status == 0, "baseline: \(ingest.stderr)")
        var traceIDs: [String: String] = [:]
        for line in try await replay(template) {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["type"] as? String == "trace", let tag = object["tag"] as? String,
                let id = object["id"] as? String
            else { continue }
            traceIDs[tag] = id
        }
        return Baseline(template: template, traceIDs: traceIDs)
    }

    /// A new copy of `baseline`'s log.
    static func copy(of baseline: Baseline) throws -> TemporaryLog {
        let log = TemporaryLog()
        try FileManager.default.copyItem(atPath: baseline.template, toPath: log.path)
        return log
    }

    /// `tracelog ingest --format F` of `text`, through a file.
    static func ingestText(_ text: String, as format: InputFormat, into log: String) async throws -> CLIRun {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = root + "/input-\(UUID().uuidString)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await CLIRun.tracelog(ingestArguments(format, log: log, file: file))
    }

    static func ingestArguments(_ format: InputFormat, log: String, file: String, stopOnError: Bool = false)
        -> [String]
    {
        ["ingest", "--log", log, "--durability", "none", "--format", format.rawValue]
            + (stopOnError ? ["--stop-on-error"] : []) + [file]
    }

    /// Every record of the log as `tracelog replay` prints it.
    static func replay(_ log: String) async throws -> [String] {
        let run = try await CLIRun.tracelog(["replay", "--log", log])
        try #require(run.status == 0, "replay: \(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    /// The replay of the log with trace ids, which are random, numbered in order of first appearance: two logs
    /// that hold the same records in the same order give the same lines.
    static func normalizedReplay(_ log: String) async throws -> [String] {
        var numbers: [Substring: Int] = [:]
        let traceID = /[0-9a-f]{32}/
        return try await replay(log).map { line in
            line.replacing(traceID) { match in
                if numbers[match.output] == nil { numbers[match.output] = numbers.count }
                return "trace-\(numbers[match.output]!)"
            }
        }
    }

    /// What the log must hold after a case, and how many events the valid input is: the baseline plus the stored
    /// valid input, ingested on its own into a copy of the baseline (remembered per input: cases share their
    /// valid lines).
    static func expectedLog(_ baseline: Baseline, format: InputFormat, valid: String?) async throws -> (
        replay: [String], ingested: Int
    ) {
        let key = "\(format.rawValue)\n\(valid ?? "")"
        if let known = expected.withLock({ $0[key] }) { return known }
        let log = try copy(of: baseline)
        var ingested = 0
        if let valid {
            let ingest = try await ingestText(valid, as: format, into: log.path)
            try #require(ingest.status == 0, "the valid input alone: \(ingest.stderr)")
            ingested = try #require(Int(ingest.stdout.prefix { $0 != " " }))
        }
        let result = (try await normalizedReplay(log.path), ingested)
        expected.withLock { $0[key] = result }
        return result
    }
}
