import Foundation
import TraceLogStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A forward's position: the last sequence number the endpoint acknowledged, kept in
/// `<log>/forward/<name>.cursor`.
///
/// - Guarantees: ``store(_:endpoint:)`` replaces the file atomically and durably (write a temporary file, `fsync`,
///   `rename`, `fsync` the directory), so after a crash the cursor is the old or the new position, never a torn one;
///   records after it are sent again (at least once). The log's writer and retention never touch the `forward/`
///   folder.
/// - Cost: two `fsync`s per store (once per acknowledged batch).
public struct ForwardCursor: Sendable {
    /// The log directory.
    public let logDirectory: String
    /// The forward's name.
    public let name: String

    /// A cursor for `name` in `logDirectory`; the name must be 1–64 of `[A-Za-z0-9._-]`, not starting with `.`.
    public init(logDirectory: String, name: String) throws(ForwardError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...64).contains(name.utf8.count), !name.hasPrefix(".") else { throw .invalidName(name) }
        self.logDirectory = logDirectory
        self.name = name
    }

    /// The folder of cursor files.
    public var folder: String { logDirectory + "/forward" }
    /// The cursor file.
    public var path: String { folder + "/" + name + ".cursor" }

    /// The last acknowledged sequence number; nil when this forward has acknowledged nothing yet.
    public func load() throws(ForwardError) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw .cursor("cannot read the cursor \(path)") }
            return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let number = object["acknowledged"] as? NSNumber, number.int64Value >= 0
        else {
            throw .cursor(
                "the cursor \(path) is damaged: expected {\"acknowledged\": <seq>, …}; delete it to start over")
        }
        return number.uint64Value
    }

    /// Records that everything up to `seq` is acknowledged by `endpoint`, atomically and durably.
    public func store(_ seq: UInt64, endpoint: String) throws(ForwardError) {
        var text = "{\"name\":\(Self.quote(name)),\"acknowledged\":\(seq),\"endpoint\":\(Self.quote(endpoint)),"
        text += "\"updated\":\"\(Timestamp.now())\"}\n"
        let temporary = path + ".partial"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cursor("cannot create \(folder): \(error.localizedDescription)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open", temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let error = failure(written == bytes.count ? "fsync" : "write", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw failure("rename", path) }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw failure("open", folder) }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw failure("fsync", folder) }
    }

    private func failure(_ operation: String, _ file: String) -> ForwardError {
        .cursor("cannot save the cursor: \(operation) \(file): \(String(cString: strerror(errno)))")
    }

    private static func quote(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
