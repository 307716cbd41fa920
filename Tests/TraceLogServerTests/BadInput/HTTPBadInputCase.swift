import HTTPTypes
import Testing

/// The classes of bad input every ingest route is tried with (issue #7, item 4).
enum BadInputClass: String, CaseIterable, Sendable {
    case malformedJSON = "malformed JSON"
    case wrongFieldType = "wrong field type"
    case missingField = "missing required field"
    case unknownType = "unknown type"
    case invalidUTF8 = "invalid UTF-8"
    case deepNesting = "100,000 levels of nesting"
    case hugeBody = "a 100 MB line"
    case unknownTraceID = "unknown trace id"
    case conflictingTraceID = "conflicting trace id"
}

/// The ingest routes, and the two body shapes `POST /v1/events` takes.
enum IngestRoute: String, CaseIterable, Sendable {
    case eventLines = "POST /v1/events (JSON lines)"
    case eventArray = "POST /v1/events (JSON array)"
    case webhook = "POST /v1/webhooks/{hook}"
}

/// The trace ids of the baseline log, by tag.
typealias TraceIDs = [String: String]

/// One bad request: the route, its body (which may use the baseline's trace ids), and the reply expected — the
/// status, the start of `error`, and for a rejected batch the one entry of `errors`.
struct HTTPBadInputCase: Sendable, CustomTestStringConvertible {
    var route: IngestRoute
    var inputClass: BadInputClass
    var uri = "/v1/events"
    var headers: HTTPFields = [:]
    var body: @Sendable (TraceIDs) -> [UInt8]
    var status: HTTPResponse.Status = .badRequest
    var error: String
    /// The rejected line (1-based line or array element) and the start of its reason.
    var lineError: (@Sendable (TraceIDs) -> (line: Int, error: String))?

    var testDescription: String { "\(route.rawValue): \(inputClass.rawValue)" }
}
