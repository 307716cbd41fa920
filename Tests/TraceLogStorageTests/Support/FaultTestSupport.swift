import Foundation
import Testing

@testable import TraceLogStorage

/// Checks shared by the fault-injection tests.
enum FaultTestSupport {
    /// Names of the temporary files (`*.tmp`) in a log directory.
    static func temporaryFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }.sorted()
    }

    /// Names of the index files (`*.tlidx`) in a log directory.
    static func indexFiles(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tlidx") }.sorted()
    }

    /// Reopens the log without faults and checks it is intact: no temporary file survives the open, the
    /// `acknowledged` records come first and in order, `verify` is clean, and the log takes appends again.
    /// Returns what the reopening writer reported.
    @discardableResult
    static func expectReopensIntact(
        _ directory: String, acknowledged: [Record], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RecoveryReport {
        let writer = try LogWriter.open(directory: directory, options: LogTestSupport.smallOptions())
        let report = writer.recoveryReport
        #expect(
            try temporaryFiles(directory) == [], "open removes stray temporary files", sourceLocation: sourceLocation)
        #expect(writer.endSeq >= UInt64(acknowledged.count), sourceLocation: sourceLocation)
        let next = Int(writer.endSeq)
        try await writer.append(SampleRecords.numbered(3, startingAt: next))
        try writer.close()
        let records = try LogTestSupport.readAll(directory)
        #expect(
            records.map(\.seq) == Array(0..<UInt64(next + 3)), "dense sequence numbers", sourceLocation: sourceLocation)
        #expect(
            Array(records.map(\.record).prefix(acknowledged.count)) == acknowledged, "every acknowledged record",
            sourceLocation: sourceLocation)
        let verification = try LogReader(directory: directory).verify()
        #expect(verification.isClean, "\(verification)", sourceLocation: sourceLocation)
        return report
    }

    /// Whether `error` is an injected ``LogError/io(_:)`` of `operation` on a path ending in `suffix`, whose
    /// message names the path and the `errno`'s text.
    static func isInjected(_ error: any Error, _ operation: String, pathSuffix suffix: String, errno code: Int32)
        -> Bool
    {
        guard case .io(let system) = error as? LogError else { return false }
        let reason = String(cString: strerror(code))
        return system.injected && system.operation == operation && system.path.hasSuffix(suffix)
            && system.errno == code && "\(error)".contains(system.path) && "\(error)".contains(reason)
    }
}
