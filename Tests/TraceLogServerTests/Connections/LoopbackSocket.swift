import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP client socket on loopback, for tests that must control every byte and see when the server
/// closes (no HTTP client library would send half a header).
///
/// Reads block in `poll`, so they run on a Dispatch thread, never on the Swift concurrency pool, where the servers
/// of tests running in parallel answer their requests. One test task uses a socket at a time.
final class LoopbackSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
    }

    deinit { close(descriptor) }

    /// Sends `text`; false when the server already closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } >= 0
    }

    enum ReadResult: Equatable {
        case data(String)
        case closed
        case timedOut
    }

    /// Waits up to `timeout` for bytes or for the server to close.
    func read(timeout: Duration) async -> ReadResult {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingRead(timeout: timeout)) }
        }
    }

    private func blockingRead(timeout: Duration) -> ReadResult {
        var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard Glibc.poll(&poll, 1, milliseconds) > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { return .closed }
        return .data(String(decoding: buffer[..<count], as: UTF8.self))
    }

    /// Reads until the server closes or `timeout` passes; the text read and whether it closed.
    func readUntilClosed(timeout: Duration) async -> (text: String, closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var text = ""
        while ContinuousClock.now < deadline {
            switch await read(timeout: deadline - ContinuousClock.now) {
            case .data(let chunk): text += chunk
            case .closed: return (text, true)
            case .timedOut: return (text, false)
            }
        }
        return (text, false)
    }

    /// Reads one whole response to a request without a body in the answer's framing (`Content-Length`).
    func readResponse(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var text = ""
        while ContinuousClock.now < deadline {
            if let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length { return text }
            }
            guard case .data(let chunk) = await read(timeout: deadline - ContinuousClock.now) else { return nil }
            text += chunk
        }
        return nil
    }
}
