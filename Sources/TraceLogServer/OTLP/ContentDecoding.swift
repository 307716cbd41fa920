import CompressNIO
import NIOCore

/// The `Content-Encoding` of a request body: identity or gzip (what OTLP exporters send).
enum ContentDecoding {
    /// Why a body could not be decoded.
    enum Failure: Error {
        /// An encoding other than gzip or identity.
        case unsupported(String)
        /// The gzip stream is corrupt or truncated.
        case corrupt
        /// The body inflates past the limit (a decompression bomb is refused like a body over the limit).
        case tooLarge(limit: Int)
    }

    /// The body as sent by the client, decoded per `contentEncoding` (nil or `identity`: as is), at most
    /// `maximumBytes` long once decoded.
    static func decode(_ body: [UInt8], contentEncoding: String?, maximumBytes: Int) throws(Failure) -> [UInt8] {
        let encoding = contentEncoding?.trimmingCharacters(in: .whitespaces).lowercased() ?? "identity"
        switch encoding {
        case "", "identity": return body
        case "gzip", "x-gzip":
            var buffer = ByteBuffer(bytes: body)
            do {
                // One byte of room over the limit, so that a body of exactly the limit is not mistaken for a larger one.
                let inflated = try buffer.decompress(with: .gzip(), maxSize: maximumBytes + 1)
                guard inflated.readableBytes <= maximumBytes else { throw Failure.tooLarge(limit: maximumBytes) }
                return Array(inflated.readableBytesView)
            } catch let error as Failure {
                throw error
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw .tooLarge(limit: maximumBytes)
            } catch {
                throw .corrupt
            }
        default: throw .unsupported(encoding)
        }
    }
}
