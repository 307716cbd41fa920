import ArgumentParser
import Foundation
import TraceLog
import TraceLogStorage

/// `--log DIR`: the log directory; default `$TRACELOG_DIR`, else `./tracelog-data`.
struct LogLocation: ParsableArguments {
    @Option(name: .customLong("log"), help: "The log directory (default: $TRACELOG_DIR or ./tracelog-data).")
    var directory: String?

    var path: String {
        directory ?? ProcessInfo.processInfo.environment["TRACELOG_DIR"] ?? "./tracelog-data"
    }

    /// Opens the log for queries; a missing directory is an error, not an empty log.
    func openReadOnly() throws -> TraceStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("no log at \(path) (set --log or TRACELOG_DIR)")
        }
        return try TraceStore.openReadOnly(directory: path)
    }
}

/// `--durability sync|interval[:ms]|none`.
struct DurabilityOption: ParsableArguments {
    @Option(help: "When appends count as acknowledged: sync, interval[:MS] or none.")
    var durability: String = "sync"

    func parsed() throws -> Durability {
        guard let value = Durability(parsing: durability) else {
            throw CLIUsageError("--durability: expected sync, interval, interval:<ms> or none, got \(durability)")
        }
        return value
    }
}
