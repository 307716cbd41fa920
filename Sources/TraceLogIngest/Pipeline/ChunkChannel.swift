import Dispatch
import Synchronization

/// A bounded, single-producer single-consumer hand-off between the pipeline's parse thread and its consumer.
///
/// The producer is a plain thread and blocks while `capacity` chunks wait (backpressure: memory stays bounded
/// however far the input is ahead); the consumer is async and suspends, never blocking a cooperative thread.
/// Either side can end it: the producer with ``finish()`` (after the last chunk), the consumer with ``cancel()``
/// (it stopped early; the producer's next ``send(_:)`` returns false).
final class ChunkChannel<Element: Sendable>: Sendable {
    private struct State {
        /// At most `capacity` elements (the producer blocks before adding more), so removing the first is cheap.
        var buffer: [Element] = []
        var finished = false
        var cancelled = false
        var receiver: CheckedContinuation<Element?, Never>?
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "a channel needs room for one element")
        self.capacity = capacity
        slots = DispatchSemaphore(value: capacity)
    }

    /// Hands `element` to the consumer, blocking while the channel is full; false if the consumer cancelled.
    func send(_ element: sending Element) -> Bool {
        slots.wait()
        let element = Optional(element)
        let outcome = state.withLock { state -> (CheckedContinuation<Element?, Never>?, Bool) in
            if state.cancelled { return (nil, false) }
            if let receiver = state.receiver {
                state.receiver = nil
                return (receiver, true)
            }
            state.buffer.append(element!)
            return (nil, true)
        }
        // A slot not kept (handed straight to a waiting receiver, or refused after a cancel) goes back, so the
        // semaphore ends at least at its initial value (libdispatch traps on disposing one below it).
        if let receiver = outcome.0 {
            slots.signal()
            receiver.resume(returning: element)
        } else if !outcome.1 {
            slots.signal()
        }
        return outcome.1
    }

    /// Says no more elements will come.
    func finish() {
        let receiver = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            state.finished = true
            defer { state.receiver = nil }
            return state.buffer.isEmpty ? state.receiver : nil
        }
        receiver?.resume(returning: nil)
    }

    /// The next element, or nil once the producer finished and everything was received.
    func receive() async -> Element? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Element?? in
                if !state.buffer.isEmpty { return .some(state.buffer.removeFirst()) }
                if state.finished { return .some(nil) }
                state.receiver = continuation
                return nil
            }
            if let ready {
                if ready != nil { slots.signal() }
                continuation.resume(returning: ready)
            }
        }
    }

    /// Stops the producer: its blocked or next ``send(_:)`` returns false.
    func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.buffer.removeAll()
        }
        for _ in 0..<capacity { slots.signal() }
    }
}
