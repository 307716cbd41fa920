import Dispatch
import Synchronization

/// Makes written records durable with as few `fdatasync` calls as possible.
///
/// Appenders that need durability (``Durability/sync``) register the sequence number they wait for. One
/// sync job at a time runs on a dedicated serial queue (never on Swift's cooperative pool, which the fsync
/// would block): it notes how far the log is written, calls `fdatasync` once, and releases every waiter at or
/// below that point. Appenders that arrive during the sync are served by the next job, so under load each
/// `fdatasync` covers many appends. A failed `fdatasync` stops the writer; it is never retried, because after
/// a failure the kernel may have dropped the dirty pages and a retry could report success for lost data.
final class GroupCommit: Sendable {
    private struct Waiter {
        var endSeq: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var durableSeq: UInt64
        var waiters: [Waiter] = []
        var jobScheduled = false
        var failure: LogError?
    }

    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "tracelog.group-commit")
    /// Returns the active file and how far the log is written, atomically; nil once closed. Throws if that file
    /// must not be synced (its `fdatasync` already failed elsewhere).
    private let snapshot: @Sendable () throws(LogError) -> (OpenFile, UInt64)?
    /// Called once when a sync fails, so the writer stops.
    private let onFailure: @Sendable (LogError) -> Void
    private let timer: Mutex<TimerBox?> = Mutex(nil)
    /// Sync latency observations, for metrics.
    let latency = SyncStatistics()

    init(
        durableSeq: UInt64, snapshot: @escaping @Sendable () throws(LogError) -> (OpenFile, UInt64)?,
        onFailure: @escaping @Sendable (LogError) -> Void
    ) {
        state = Mutex(State(durableSeq: durableSeq))
        self.snapshot = snapshot
        self.onFailure = onFailure
    }

    /// Sequence numbers below this are durable.
    var durableSeq: UInt64 { state.withLock { $0.durableSeq } }

    /// Waits until every record below `endSeq` is durable.
    func waitDurable(upTo endSeq: UInt64) async throws(LogError) {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, failure, schedule) = state.withLock { state -> (Bool, LogError?, Bool) in
                    if let failure = state.failure { return (false, failure, false) }
                    if state.durableSeq >= endSeq { return (true, nil, false) }
                    state.waiters.append(Waiter(endSeq: endSeq, continuation: continuation))
                    if state.jobScheduled { return (false, nil, false) }
                    state.jobScheduled = true
                    return (false, nil, true)
                }
                if let failure { continuation.resume(throwing: failure) } else if resumeNow { continuation.resume() }
                if schedule { queue.async { self.runSync() } }
            }
        } catch let error as LogError {
            throw error
        } catch {
            throw .writerStopped(cause: "\(error)")
        }
    }

    /// Syncs now, on the calling thread, and releases waiters (used by close and by interval flushing).
    func syncNow() throws(LogError) {
        let outcome = queue.sync { Result { () throws(LogError) in try syncOnce() } }
        try outcome.get()
    }

    /// Starts the background flusher of ``Durability/interval(milliseconds:)``.
    func startInterval(milliseconds: Int) {
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
        source.setEventHandler { [weak self] in try? self?.syncOnce() }
        source.resume()
        let box = TimerBox(source: source)
        timer.withLock { $0 = box }
    }

    /// Stops the interval flusher.
    func stopInterval() {
        let source = timer.withLock { timer in
            defer { timer = nil }
            return timer
        }
        source?.source.cancel()
    }

    private func runSync() {
        state.withLock { $0.jobScheduled = false }
        try? syncOnce()
    }

    /// One sync: must run on `queue`.
    private func syncOnce() throws(LogError) {
        if let failure = state.withLock({ $0.failure }) { throw failure }
        let target: (OpenFile, UInt64)?
        do {
            target = try snapshot()
        } catch {
            stop(with: error)
            throw error
        }
        guard let (file, writtenSeq) = target else { return }
        if state.withLock({ $0.durableSeq >= writtenSeq && $0.waiters.isEmpty }) { return }
        let started = SystemCalls.monotonicNanoseconds()
        do {
            try file.syncData()
        } catch {
            let failure = LogError.writerStopped(cause: "fdatasync failed: \(error)")
            stop(with: failure)
            throw failure
        }
        latency.record(nanoseconds: SystemCalls.monotonicNanoseconds() - started)
        let ready = state.withLock { state in
            state.durableSeq = max(state.durableSeq, writtenSeq)
            let ready = state.waiters.filter { $0.endSeq <= state.durableSeq }
            state.waiters.removeAll { $0.endSeq <= state.durableSeq }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Records a sync failure for good, stops the writer and fails every waiter; no sync runs after this.
    private func stop(with failure: LogError) {
        let waiters = state.withLock { state in
            state.failure = failure
            defer { state.waiters = [] }
            return state.waiters
        }
        onFailure(failure)
        for waiter in waiters { waiter.continuation.resume(throwing: failure) }
    }

    /// Fails every waiter (the writer closed or stopped before they became durable).
    func failAll(with error: LogError) {
        let waiters = state.withLock { state in
            if state.failure == nil { state.failure = error }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }
}

/// Count and total time of `fdatasync` calls.
final class SyncStatistics: Sendable {
    private let totals = Mutex((count: 0, nanoseconds: UInt64(0)))
    /// Syncs per latency bucket (``SyncLatencyHistogram/bounds``), for the fsync latency histogram.
    private let buckets = Mutex([Int](repeating: 0, count: SyncLatencyHistogram.bounds.count + 1))

    func record(nanoseconds: UInt64) {
        totals.withLock {
            $0.count += 1
            $0.nanoseconds += nanoseconds
        }
        let bucket = SyncLatencyHistogram.bucket(of: nanoseconds)
        buckets.withLock { $0[bucket] += 1 }
    }

    /// How many syncs ran and how long they took in total.
    var snapshot: (count: Int, nanoseconds: UInt64) { totals.withLock { $0 } }

    /// The latency histogram so far.
    var histogram: SyncLatencyHistogram {
        let (total, counts) = (snapshot, buckets.withLock { $0 })
        return SyncLatencyHistogram(counts: counts, count: total.count, nanoseconds: total.nanoseconds)
    }
}

/// Holds a dispatch timer across threads. Dispatch sources are thread-safe (libdispatch documents their
/// methods as callable from any thread); the type only lacks the `Sendable` annotation.
private struct TimerBox: @unchecked Sendable {
    let source: any DispatchSourceTimer
}
