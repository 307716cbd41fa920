import Foundation
import Testing

/// An input that cannot be read ends `tracelog ingest` at once, in every format, with the reason and what was
/// stored (it used to retry the failed read of a directory for ever, growing without bound).
@Suite struct IngestInputErrorTests {
    @Test(arguments: ["native", "selinon", "stroma", "st2", "otlp"])
    func aDirectoryFailsAtOnceNamingIt(format: String) async throws {
        let log = TemporaryLog()
        let directory = NSTemporaryDirectory() + "/tracelog-not-a-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try await CLIRun.tracelog(["ingest", "--log", log.path, "--format", format, "--quiet", directory])
        #expect(run.status == 1)
        #expect(run.stderr.contains("read \(directory): Is a directory"), "\(run.stderr)")
        #expect(run.stdout.contains("0 ingested, 0 rejected (nothing stored)"), "\(run.stdout)")
    }
}
