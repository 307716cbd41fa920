import Synchronization
public import TraceLogStorage

/// The outcome of one ingest call handed to the store's ingest thread (``WritableTraceStore/submitIngestSession(_:)``):
/// await ``value()`` for it.
///
/// Taking the ticket is synchronous, so calls submitted one after another run in that order, and a caller can
/// submit the next call before the last one is written (the pipeline keeps three chunks in flight that way).
public final class IngestTicket<T: Sendable>: Sendable {
    private struct State {
        var value: T?
        var outcome: Result<UInt64, LogError>?
        var waiter: CheckedContinuation<Result<UInt64, LogError>, Never>?
    }

    private let state = Mutex(State())
    private let durability: @Sendable (UInt64) async throws(LogError) -> Void

    init(durability: @escaping @Sendable (UInt64) async throws(LogError) -> Void) {
        self.durability = durability
    }

    /// What the call returned, once its records are written and acknowledged per the durability mode.
    public func value() async throws(LogError) -> T {
        let outcome: Result<UInt64, LogError> = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<UInt64, LogError>? in
                if let outcome = state.outcome { return outcome }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        let endSeq = try outcome.get()
        try await durability(endSeq)
        guard let value = state.withLock({ $0.value }) else { throw .invalidArgument("ingest call returned nothing") }
        return value
    }

    /// Sets the call's value (on the ingest thread, before ``finish(_:)``).
    func set(_ value: T) {
        state.withLock { $0.value = value }
    }

    /// Delivers the outcome: the sequence number after the call's last record, or the error.
    func finish(_ outcome: Result<UInt64, LogError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<UInt64, LogError>, Never>? in
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }
}
