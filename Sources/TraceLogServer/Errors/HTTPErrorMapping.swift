import Hummingbird
import TraceLog
import TraceLogIngest
import TraceLogStorage

/// A domain error that knows how it is reported over HTTP.
///
/// Server-side failures (I/O, corruption, a stopped writer) get a 5xx with a fixed message: their details
/// (paths, offsets) go to the server's log, not to the client.
protocol HTTPErrorMapping: Error {
    /// The error as the client sees it.
    var apiError: APIError { get }
}

extension APIError: HTTPErrorMapping {
    var apiError: APIError { self }
}

extension LogError: HTTPErrorMapping {
    var apiError: APIError {
        switch self {
        case .invalidArgument(let message): APIError(.badRequest, message)
        case .recordTooLarge: APIError(.contentTooLarge, description)
        case .closed: APIError(.serviceUnavailable, "the log is closed")
        case .writerStopped: APIError(.serviceUnavailable, "the log stopped accepting writes after a failure")
        case .locked: APIError(.serviceUnavailable, "the log is locked by another writer")
        case .io, .corruptBatch, .corruptSegment, .sequenceGap: APIError(.internalServerError, "storage error")
        case .damaged(let regions):
            // Damage is never hidden: the client learns which segment and offset, and how to get what is readable.
            APIError(
                .internalServerError, description + " (allow_damaged=true answers with the readable records)",
                damage: regions)
        }
    }
}

extension ResolutionError: HTTPErrorMapping {
    var apiError: APIError { APIError(.badRequest, description) }
}

extension NativeEventError: HTTPErrorMapping {
    var apiError: APIError { APIError(.badRequest, description, lines: [lineError]) }

    /// The line and the reason (with the field, if any), without the `line N:` prefix.
    var lineError: APIError.LineError {
        APIError.LineError(line: line, error: field.map { "field \"\($0)\": \(reason)" } ?? reason)
    }
}
