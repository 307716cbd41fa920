/// When a connection must be closed for being slow or idle: the rules behind `--header-timeout` and
/// `--idle-timeout`, as a value type the channel handlers drive (and tests can drive with any clock).
///
/// A connection is in one phase at a time:
/// - waiting for a request head, from the connection's opening or the first byte of the next request: closed
///   when the head is not complete within the header timeout, however slowly its bytes trickle in;
/// - reading a request body: closed when nothing arrives for the idle timeout;
/// - responding (the request is read, the server works on it): never closed for time, since the handler may be
///   waiting for an `fdatasync`;
/// - idle between requests (keep-alive): closed after the idle timeout.
struct ConnectionDeadlines<Instant: InstantProtocol> where Instant.Duration == Duration {
    enum Phase: Equatable {
        case waitingForHead(since: Instant)
        case readingBody(lastByte: Instant)
        case responding
        case idle(since: Instant)
    }

    let headerTimeout: Duration
    let idleTimeout: Duration
    private(set) var phase: Phase
    /// Requests whose head was read and whose response has not ended.
    private(set) var inFlight = 0

    /// A connection opened at `now`: its first request head is due within the header timeout.
    init(headerTimeout: Duration, idleTimeout: Duration, openedAt now: Instant) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        phase = .waitingForHead(since: now)
    }

    /// When the connection must be closed if nothing changes; nil while responding.
    var deadline: Instant? {
        switch phase {
        case .waitingForHead(let since): since.advanced(by: headerTimeout)
        case .readingBody(let lastByte): lastByte.advanced(by: idleTimeout)
        case .responding: nil
        case .idle(let since): since.advanced(by: idleTimeout)
        }
    }

    /// Bytes arrived. An idle connection starts waiting for a head; a body being read is alive again. Bytes of a
    /// head being awaited never move its deadline.
    mutating func bytesArrived(at now: Instant) {
        switch phase {
        case .idle: phase = .waitingForHead(since: now)
        case .readingBody: phase = .readingBody(lastByte: now)
        case .waitingForHead, .responding: break
        }
    }

    /// A request head was decoded.
    mutating func headReceived(at now: Instant) {
        inFlight += 1
        phase = .readingBody(lastByte: now)
    }

    /// A request was read to its end.
    mutating func requestEnded() {
        if case .readingBody = phase { phase = .responding }
    }

    /// A response was written to its end; with none left in flight, the connection turns idle.
    mutating func responseEnded(at now: Instant) {
        inFlight = max(0, inFlight - 1)
        if inFlight == 0, phase == .responding { phase = .idle(since: now) }
    }
}
