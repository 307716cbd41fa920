import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// How many connections are open, against the limit (`--max-connections`). Shared by every connection.
final class ConnectionCounter: Sendable {
    /// Connections served at once.
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a place for a new connection; false (and no place taken) when all are taken.
    func admit() -> Bool {
        if open.add(1, ordering: .relaxed).newValue <= limit { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    /// Gives a place back when an admitted connection closes.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// Connections open now.
    var count: Int { open.load(ordering: .relaxed) }
}

/// Hummingbird's HTTP/1.1 child channel with the server's connection limits: a connection past
/// ``ConnectionCounter/limit`` gets `503` and is closed; every connection gets a ``ConnectionDeadlineHandler``
/// in front of its HTTP decoder (header and idle timeouts) and an ``HTTPPartObserver`` behind it.
struct GuardedHTTP1Channel: ServerChildChannel {
    /// The connection, and whether it got a place.
    struct Value: ServerChildChannelValue {
        let http: HTTP1Channel.Value
        let admitted: Bool
        var channel: any Channel { http.channel }
    }

    let http1: HTTP1Channel
    let counter: ConnectionCounter
    let headerTimeout: Duration
    let idleTimeout: Duration

    /// Wraps Hummingbird's channel for `responder`, with the observer among its handlers and no idle timeout of
    /// its own (``ConnectionDeadlineHandler`` keeps time).
    init(
        responder: @escaping HTTPChannelHandler.Responder, counter: ConnectionCounter, headerTimeout: Duration,
        idleTimeout: Duration
    ) {
        http1 = HTTP1Channel(
            responder: responder, configuration: .init(additionalChannelHandlers: [HTTPPartObserver()]))
        self.counter = counter
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = counter.admit()
        if admitted {
            let counter = counter
            channel.closeFuture.whenComplete { _ in counter.release() }
        }
        let (headerTimeout, idleTimeout) = (self.headerTimeout, self.idleTimeout)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                ConnectionDeadlineHandler(headerTimeout: headerTimeout, idleTimeout: idleTimeout), position: .first)
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }.map { Value(http: $0, admitted: admitted) }
    }

    func handle(value: Value, logger: Logger) async {
        guard value.admitted else {
            await refuse(value.http, logger: logger)
            return
        }
        await http1.handle(value: value.http, logger: logger)
    }

    /// Answers 503 at once, then reads what the client sent of its request (so that closing does not reset the
    /// connection before the client reads the answer; the header timeout bounds the wait) and closes.
    private func refuse(_ channel: HTTP1Channel.Value, logger: Logger) async {
        let body = ByteBuffer(string: #"{"error":"too many connections; try again later"}"# + "\n")
        let head = HTTPResponse(
            status: .serviceUnavailable,
            headerFields: [
                .contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes),
                .connection: "close", .retryAfter: "1",
            ])
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(contentsOf: [.head(head), .body(body), .end(nil)])
                for try await part in inbound {
                    if case .end = part { break }
                }
            }
        } catch {
            logger.debug("refused connection closed: \(error)")
        }
    }
}
