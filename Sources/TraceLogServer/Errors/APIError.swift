public import Hummingbird
import TraceLog
public import TraceLogStorage

/// An error the API reports to its client: a status, a message, and for rejected batches one entry per line.
///
/// Rendered as `{"error": message}`, plus `"errors": [{"line", "error"}]` when lines were rejected and
/// `"damage": [...]` when damaged data is the cause.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// One rejected line (or array element) of a batch.
    public struct LineError: Sendable, Hashable {
        /// The 1-based line number (for a JSON array body: the 1-based element number).
        public var line: Int
        /// Why it was rejected.
        public var error: String
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What went wrong, for the client. Never a stack trace or an internal path.
    public var message: String
    /// The rejected lines of a batch; empty otherwise.
    public var lines: [LineError]
    /// Extra response headers (e.g. `WWW-Authenticate`).
    public var headers: HTTPFields
    /// Damaged regions that failed the request or may hide what it asked for, rendered as `"damage": [...]`.
    public var damage: [DamagedRegion]

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status, _ message: String, lines: [LineError] = [], headers: HTTPFields = [:],
        damage: [DamagedRegion] = []
    ) {
        self.status = status
        self.message = message
        self.lines = lines
        self.headers = headers
        self.damage = damage
    }

    public var description: String { "\(status.code) \(message)" }

    /// The response body.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("error", .string(message))]
        if !lines.isEmpty {
            members.append(
                (
                    "errors",
                    .array(lines.map { .object([("line", .int(Int64($0.line))), ("error", .string($0.error))]) })
                ))
        }
        return JSONValue.object(members).adding(damage: damage)
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
}
