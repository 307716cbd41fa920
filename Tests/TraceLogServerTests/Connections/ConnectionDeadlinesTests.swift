import Testing

@testable import TraceLogServer

/// The timeout rules on their own, with a clock the test moves (the socket tests check the wiring).
@Suite struct ConnectionDeadlinesTests {
    let opened = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { opened.advanced(by: .milliseconds(milliseconds)) }

    func deadlines() -> ConnectionDeadlines<ContinuousClock.Instant> {
        ConnectionDeadlines(headerTimeout: .milliseconds(100), idleTimeout: .milliseconds(1000), openedAt: opened)
    }

    @Test func aHeadIsDueWithinTheHeaderTimeoutHoweverManyBytesTrickleIn() {
        var connection = deadlines()
        #expect(connection.deadline == at(100))
        connection.bytesArrived(at: at(50))
        connection.bytesArrived(at: at(90))
        #expect(connection.deadline == at(100), "bytes of a head never move its deadline")
    }

    @Test func aBodyIsClosedOnlyWhenNothingArrivesForTheIdleTimeout() {
        var connection = deadlines()
        connection.headReceived(at: at(10))
        #expect(connection.deadline == at(1010))
        connection.bytesArrived(at: at(500))
        #expect(connection.deadline == at(1500))
        connection.requestEnded()
        #expect(connection.deadline == nil, "never closed while the server works on a request")
    }

    @Test func aKeptAliveConnectionIsIdleUntilItsNextRequestBegins() {
        var connection = deadlines()
        connection.headReceived(at: at(10))
        connection.requestEnded()
        connection.responseEnded(at: at(200))
        #expect(connection.deadline == at(1200))
        connection.bytesArrived(at: at(700))
        #expect(connection.deadline == at(800), "the next head is due within the header timeout of its first byte")
        connection.headReceived(at: at(720))
        #expect(connection.deadline == at(1720))
    }

    @Test func pipelinedRequestsTurnIdleOnlyWhenTheLastResponseEnds() {
        var connection = deadlines()
        connection.headReceived(at: at(10))
        connection.requestEnded()
        connection.headReceived(at: at(20))
        connection.requestEnded()
        connection.responseEnded(at: at(300))
        #expect(connection.deadline == nil)
        connection.responseEnded(at: at(400))
        #expect(connection.deadline == at(1400))
        #expect(connection.inFlight == 0)
    }
}
