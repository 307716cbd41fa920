import Hummingbird
import NIOCore

/// Reads a whole request body into memory, up to a limit.
///
/// A body over the limit is refused before anything is parsed or written: from its `Content-Length` when
/// declared, else as soon as the received bytes pass the limit (``NIOTooManyBytesError``, a 413).
struct RequestBodyReader: Sendable {
    let maximumBytes: Int

    func bytes(of request: Request) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBytes {
            throw APIError(.contentTooLarge, "request body larger than \(maximumBytes) bytes")
        }
        let buffer = try await request.body.collect(upTo: maximumBytes)
        return Array(buffer.readableBytesView)
    }
}
