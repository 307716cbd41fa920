import CompressNIO
import NIOCore

/// The `Content-Encoding` of a request body: identity, gzip (what OTLP exporters send), or deflate (which some
/// exporters, OpenTelemetry Python's among them, offer too).
enum ContentDecoding {
    /// Why a body could not be decoded.
    enum Failure: Error {
        /// An encoding other than gzip, deflate or identity.
        case unsupported(String)
        /// The compressed stream is corrupt or truncated.
        case corrupt(String)
        /// The body inflates past the limit (a decompression bomb is refused like a body over the limit).
        case tooLarge(limit: Int)
    }

    /// The body as sent by the client, decoded per `contentEncoding` (nil or `identity`: as is), at most
    /// `maximumBytes` long once decoded. `deflate` is the zlib format (RFC 9110); a raw deflate stream, which some
    /// clients send under that name, is accepted too.
    static func decode(_ body: [UInt8], contentEncoding: String?, maximumBytes: Int) throws(Failure) -> [UInt8] {
        let encoding = contentEncoding?.trimmingCharacters(in: .whitespaces).lowercased() ?? "identity"
        switch encoding {
        case "", "identity": return body
        case "gzip", "x-gzip": return try inflate(body, .gzip(), name: "gzip", maximumBytes: maximumBytes)
        case "deflate":
            do {
                return try inflate(body, .zlib(), name: "deflate", maximumBytes: maximumBytes)
            } catch .corrupt {
                return try inflate(body, .deflate(), name: "deflate", maximumBytes: maximumBytes)
            }
        default: throw .unsupported(encoding)
        }
    }

    private static func inflate(_ body: [UInt8], _ algorithm: CompressionAlgorithm, name: String, maximumBytes: Int)
        throws(Failure) -> [UInt8]
    {
        var buffer = ByteBuffer(bytes: body)
        do {
            // One byte of room over the limit, so that a body of exactly the limit is not mistaken for a larger one.
            let inflated = try buffer.decompress(with: algorithm, maxSize: maximumBytes + 1)
            guard inflated.readableBytes <= maximumBytes else { throw Failure.tooLarge(limit: maximumBytes) }
            return Array(inflated.readableBytesView)
        } catch let error as Failure {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge(limit: maximumBytes)
        } catch {
            throw .corrupt(name)
        }
    }
}
