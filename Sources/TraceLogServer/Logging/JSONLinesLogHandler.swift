public import Logging
import TraceLog
import TraceLogStorage

/// A swift-log handler that writes one JSON object per line — `{"time","level","logger","message",…metadata}` —
/// the format log shippers (Vector, Fluent Bit, Promtail, Filebeat) parse without a custom pattern. Used for the
/// server's access log (`tracelog serve --access-log`).
///
/// Metadata values are strings (swift-log's string and string-convertible values), nested dictionaries and
/// arrays become JSON objects and arrays. Lines are written whole, under a lock, so concurrent requests never
/// interleave within a line.
public struct JSONLinesLogHandler: LogHandler {
    /// Where lines go (a file handle's write, a test's buffer).
    public typealias Output = @Sendable (String) -> Void

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    /// A handler for the logger `label` that passes each line (ending in a newline) to `output`.
    public init(label: String, output: @escaping Output) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members: [(String, JSONValue)] = [
            ("time", .string(Timestamp.now().description)), ("level", .string(event.level.rawValue)),
            ("logger", .string(label)), ("message", .string(event.message.description)),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() { members.append((key, Self.json(merged[key]!))) }
        output(JSONValue.object(members).serialized() + "\n")
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? any BinaryInteger {
                .int(Int64(number))
            } else if let number = convertible as? Double {
                .double(number)
            } else {
                .string(convertible.description)
            }
        case .dictionary(let dictionary): .object(dictionary.keys.sorted().map { ($0, json(dictionary[$0]!)) })
        case .array(let values): .array(values.map(json))
        }
    }
}
