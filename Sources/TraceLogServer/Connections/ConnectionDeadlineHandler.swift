import NIOCore
import NIOHTTPTypes

/// The first handler of every connection: sees raw bytes arrive, keeps the connection's ``ConnectionDeadlines``
/// and closes the connection when a deadline passes. ``HTTPPartObserver``, behind the HTTP decoder, tells it
/// when heads and ends go by.
///
/// One timer per connection: it is scheduled for the current deadline and, when it fires, closes the
/// connection or moves on to the deadline that replaced it, so a byte arriving never costs a reschedule.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let headerTimeout: Duration
    private let idleTimeout: Duration
    private var deadlines: ConnectionDeadlines<ContinuousClock.Instant>?
    private var timer: (task: Scheduled<Void>, at: ContinuousClock.Instant)?
    private var context: ChannelHandlerContext?

    init(headerTimeout: Duration, idleTimeout: Duration) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        update { $0.bytesArrived(at: .now) }
        context.fireChannelRead(data)
    }

    /// A request head went through the decoder.
    func headReceived() { update { $0.headReceived(at: .now) } }

    /// A request's end went through the decoder.
    func requestEnded() { update { $0.requestEnded() } }

    /// A response's end was written.
    func responseEnded() { update { $0.responseEnded(at: .now) } }

    private func start() {
        guard deadlines == nil else { return }
        deadlines = ConnectionDeadlines(headerTimeout: headerTimeout, idleTimeout: idleTimeout, openedAt: .now)
        schedule()
    }

    private func update(_ change: (inout ConnectionDeadlines<ContinuousClock.Instant>) -> Void) {
        guard var current = deadlines else { return }
        change(&current)
        deadlines = current
        // Only an earlier deadline needs a new timer; a later one is picked up when the timer fires.
        if let deadline = current.deadline, timer.map({ deadline < $0.at }) ?? true { schedule() }
    }

    private func schedule() {
        cancelTimer()
        guard let context, let deadline = deadlines?.deadline else { return }
        let task = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: TimeAmount(deadline - .now)) {
            [self] in
            timer = nil
            guard let deadline = deadlines?.deadline else { return }
            if deadline <= .now {
                self.context?.close(promise: nil)
            } else {
                schedule()
            }
        }
        timer = (task, deadline)
    }

    private func cancelTimer() {
        timer?.task.cancel()
        timer = nil
    }
}

/// Sits behind the HTTP decoder and tells the connection's ``ConnectionDeadlineHandler`` when a request head or
/// end is read and when a response ends. Passes everything through unchanged.
final class HTTPPartObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlineHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = try? context.pipeline.syncOperations.handler(type: ConnectionDeadlineHandler.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlines = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.headReceived()
        case .body: break
        case .end: deadlines?.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { deadlines?.responseEnded() }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension ConnectionDeadlineHandler: Sendable {}

@available(*, unavailable)
extension HTTPPartObserver: Sendable {}
