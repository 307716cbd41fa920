import ArgumentParser
import TraceLog

/// `tracelog verify`: every batch checksum, every record, and every index against a full scan.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every batch and every index against a full scan.")

    @OptionGroup var log: LogLocation

    func run() async throws {
        try await reportingFailures {
            let report = try log.openReadOnly().reader.verify()
            print(report.description)
            if !report.isClean { throw ExitCode.failure }
        }
    }
}

/// `tracelog stats`: records, traces, segments, bytes on disk, compression.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the size of the log.")

    @OptionGroup var log: LogLocation
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var damage: DamageOption

    func run() async throws {
        try await reportingFailures {
            let answer = try log.openReadOnly().statistics(damage: damage.policy)
            let stats = answer.value
            damage.warn(answer.damage)
            let ratio = (stats.compressionRatio * 100).rounded() / 100
            let perRecord = (stats.bytesPerRecord * 10).rounded() / 10
            if json {
                print(stats.json(damage: answer.damage).serialized())
                return
            }
            print("records:           \(stats.records)")
            print("traces:            \(stats.traces)")
            print("segments:          \(stats.segments) (\(stats.batches) batches)")
            print(
                "bytes on disk:     \(stats.segmentBytes + stats.indexBytes) (segments \(stats.segmentBytes), indexes \(stats.indexBytes))"
            )
            print(
                "compression ratio: \(ratio) (\(stats.uncompressedBytes) bytes of records stored in \(stats.storedPayloadBytes))"
            )
            print("bytes per record:  \(perRecord) (indexes included)")
        }
    }
}
