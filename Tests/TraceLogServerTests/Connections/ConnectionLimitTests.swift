import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TraceLogServer

/// Issue 14 item 9: a header-read timeout, an idle keep-alive timeout and a connection cap, on real sockets.
@Suite struct ConnectionLimitTests {
    static let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test func aHalfSentHeadIsClosedAfterTheHeaderTimeoutHoweverSlowlyItTrickles() async throws {
        let server = try TestServer { $0.headerTimeout = .milliseconds(400) }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            let socket = try LoopbackSocket(port: port)
            let start = ContinuousClock.now
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            var closedAfter: Duration?
            // One more header byte every 100 ms: each keeps the connection busy, none completes the head.
            for _ in 0..<40 {
                socket.send("X")
                if await socket.read(timeout: .milliseconds(100)) == .closed {
                    closedAfter = ContinuousClock.now - start
                    break
                }
            }
            let elapsed = try #require(closedAfter, "the connection was still open after 4 s")
            #expect(elapsed >= .milliseconds(350))
            #expect(elapsed < .seconds(2))
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot() async throws {
        let server = try TestServer {
            $0.headerTimeout = .seconds(5)
            $0.idleTimeout = .seconds(2)
        }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            let idle = try LoopbackSocket(port: port)
            idle.send(Self.request)
            #expect(await idle.readResponse(timeout: .seconds(5))?.hasPrefix("HTTP/1.1 200") == true)
            let idleSince = ContinuousClock.now
            let busy = try LoopbackSocket(port: port)
            // The busy connection sends a request every 100 ms for 3 s: never idle for 2 s.
            for _ in 0..<30 {
                busy.send(Self.request)
                #expect(await busy.readResponse(timeout: .seconds(5))?.hasPrefix("HTTP/1.1 200") == true)
                try await Task.sleep(for: .milliseconds(100))
            }
            let (_, closed) = await idle.readUntilClosed(timeout: .seconds(5))
            #expect(closed, "the idle connection was closed")
            #expect(ContinuousClock.now - idleSince >= .milliseconds(1900))
            busy.send(Self.request)
            #expect(await busy.readResponse(timeout: .seconds(5))?.hasPrefix("HTTP/1.1 200") == true, "still served")
        }
    }

    @Test func connectionsPastTheCapGet503AndAreClosedUntilAPlaceIsFree() async throws {
        let server = try TestServer {
            $0.maximumConnections = 2
            $0.headerTimeout = .seconds(10)
        }
        try await server.test(.live) { client in
            let port = try #require(client.port)
            var held = [try LoopbackSocket(port: port), try LoopbackSocket(port: port)]
            for socket in held {
                socket.send(Self.request)
                #expect(await socket.readResponse(timeout: .seconds(5))?.hasPrefix("HTTP/1.1 200") == true)
            }
            let refused = try LoopbackSocket(port: port)
            refused.send(Self.request)
            let (answer, closed) = await refused.readUntilClosed(timeout: .seconds(5))
            #expect(answer.hasPrefix("HTTP/1.1 503"))
            #expect(answer.contains("too many connections"))
            #expect(closed)
            held.removeFirst()  // closes one
            var served = false
            for _ in 0..<50 where !served {
                let next = try LoopbackSocket(port: port)
                next.send(Self.request)
                served = await next.readResponse(timeout: .seconds(2))?.hasPrefix("HTTP/1.1 200") == true
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served, "a freed place is given to the next connection")
            _ = held
        }
    }
}
