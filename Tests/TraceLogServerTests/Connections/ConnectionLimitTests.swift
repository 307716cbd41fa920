import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TraceLogServer

/// Issue 14 item 9: a header-read timeout, an idle keep-alive timeout and a connection cap, on real sockets.
///
/// The machine running the suite may be loaded (other builds, Chromium in another test), so a wait for something
/// that must happen is long and returns as soon as it happens; only lower bounds are tight (a timer never fires
/// early). The exact rules are checked with a clock the test moves in ``ConnectionDeadlinesTests``.
@Suite struct ConnectionLimitTests {
    static let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test func aHalfSentHeadIsClosedAfterTheHeaderTimeoutHoweverSlowlyItTrickles() async throws {
        let server = try TestServer { $0.headerTimeout = .milliseconds(400) }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            let start = ContinuousClock.now  // before the connection opens: the server's deadline runs from then on
            let socket = try LoopbackSocket(port: port)
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            var closedAfter: Duration?
            // One more header byte every 100 ms: each keeps the connection busy, none completes the head.
            while closedAfter == nil, ContinuousClock.now - start < .seconds(20) {
                socket.send("X")
                if await socket.read(timeout: .milliseconds(100)) == .closed {
                    closedAfter = ContinuousClock.now - start
                }
            }
            let elapsed = try #require(closedAfter, "the connection was still open after 20 s")
            #expect(elapsed >= .milliseconds(400))
        }
    }

    @Test func aKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        let server = try TestServer {
            $0.headerTimeout = .seconds(30)
            $0.idleTimeout = .seconds(2)
        }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            let socket = try LoopbackSocket(port: port)
            // The server turns idle after it answers, so after this instant: the close cannot come earlier.
            let idleSince = ContinuousClock.now
            socket.send(Self.request)
            #expect(await socket.readResponse(timeout: .seconds(30))?.hasPrefix("HTTP/1.1 200") == true)
            let (_, closed) = await socket.readUntilClosed(timeout: .seconds(30))
            #expect(closed, "the idle connection was closed")
            #expect(ContinuousClock.now - idleSince >= .seconds(2))
        }
    }

    @Test func connectionsPastTheCapGet503AndAreClosedUntilAPlaceIsFree() async throws {
        let server = try TestServer {
            $0.maximumConnections = 3
            $0.headerTimeout = .seconds(60)
        }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            // The test client keeps one connection open: make sure it has its place before counting ours.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            var held = [try LoopbackSocket(port: port), try LoopbackSocket(port: port)]
            for socket in held {
                socket.send(Self.request)
                #expect(await socket.readResponse(timeout: .seconds(30))?.hasPrefix("HTTP/1.1 200") == true)
            }
            let refused = try LoopbackSocket(port: port)
            refused.send(Self.request)
            let (answer, closed) = await refused.readUntilClosed(timeout: .seconds(30))
            #expect(answer.hasPrefix("HTTP/1.1 503"))
            #expect(answer.contains("too many connections"))
            #expect(closed)
            held.removeFirst()  // closes one
            var served = false
            let start = ContinuousClock.now
            while !served, ContinuousClock.now - start < .seconds(30) {
                let next = try LoopbackSocket(port: port)
                next.send(Self.request)
                served = await next.readResponse(timeout: .seconds(30))?.hasPrefix("HTTP/1.1 200") == true
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served, "a freed place is given to the next connection")
            _ = held
        }
    }
}
