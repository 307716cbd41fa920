import Dispatch
import Synchronization
import TraceLogStorage

/// Runs a store's ingest work, one call after another, on one dedicated thread (a serial dispatch queue, never
/// Swift's cooperative pool, which `pwrite` and a segment roll's `fdatasync` would block).
///
/// Calls that arrive while one runs are taken together: each runs its body on the shared ``IngestSession`` in
/// arrival order, then everything they resolved is written in one append. Under load, many small requests
/// (`POST /v1/events`, webhooks) thus share batches and system calls, as the group commit shares `fdatasync`.
final class IngestQueue: Sendable {
    /// A call waiting to run.
    private struct Job: Sendable {
        /// Runs the call's body on the session; returns its error, if it threw.
        let run: @Sendable (inout IngestSession) -> LogError?
        /// Delivers the outcome: the call's own error, else the write's, else success with the end seq.
        let finish: @Sendable (Result<UInt64, LogError>) -> Void
    }

    private struct Pending {
        var jobs: [Job] = []
        var draining = false
        var closed = false
    }

    private let queue = DispatchQueue(label: "tracelog.ingest", qos: .userInitiated)
    private let pending = Mutex(Pending())
    /// Touched only on `queue`.
    private let session: SessionBox

    init(writer: LogWriter, reader: LogReader, cacheGeneration: Int) {
        session = SessionBox(IngestSession(writer: writer, reader: reader, cacheGeneration: cacheGeneration))
    }

    /// Runs `body` on the ingest thread, writes what it resolved, and returns its value and the sequence number
    /// after the last record written for it (wait for durability up to there).
    func run<T: Sendable>(
        _ body: @escaping @Sendable (inout IngestSession) throws(LogError) -> T
    ) async throws(LogError) -> (T, UInt64) {
        let value = ValueBox<T>()
        let outcome: Result<UInt64, LogError> = await withCheckedContinuation { continuation in
            let job = Job(
                run: { session in
                    do throws(LogError) {
                        value.value = try body(&session)
                        return nil
                    } catch {
                        return error
                    }
                },
                finish: { continuation.resume(returning: $0) })
            submit(job)
        }
        let endSeq = try outcome.get()
        guard let result = value.value else { throw .invalidArgument("ingest call produced no result") }
        return (result, endSeq)
    }

    /// Refuses later calls and waits for the ones running.
    func close() {
        pending.withLock { $0.closed = true }
        queue.sync {}
    }

    private func submit(_ job: Job) {
        let (start, closed) = pending.withLock { state -> (Bool, Bool) in
            if state.closed { return (false, true) }
            state.jobs.append(job)
            if state.draining { return (false, false) }
            state.draining = true
            return (true, false)
        }
        if closed {
            job.finish(.failure(.closed))
        } else if start {
            queue.async { self.drain() }
        }
    }

    /// Runs every waiting call, writes their records together, delivers the outcomes; repeats until none waits.
    private func drain() {
        while true {
            let jobs = pending.withLock { state -> [Job] in
                let jobs = state.jobs
                state.jobs.removeAll()
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            if jobs.isEmpty { return }
            session.value.now = .now()
            var errors: [LogError?] = []
            for job in jobs {
                let mark = session.value.mark
                let error = job.run(&session.value)
                if error != nil { session.value.rollback(to: mark) }
                errors.append(error)
            }
            let written = Result { () throws(LogError) in try session.value.flush() }
            for (job, error) in zip(jobs, errors) {
                if let error {
                    job.finish(.failure(error))
                } else {
                    job.finish(written.map(\.upperBound))
                }
            }
        }
    }
}

/// The ingest session, owned by the queue and used only on its thread.
private final class SessionBox: @unchecked Sendable {
    var value: IngestSession

    init(_ value: consuming IngestSession) {
        self.value = value
    }
}

/// A call's return value, set on the ingest thread before the call's continuation is resumed (which orders the
/// write before the caller's read).
private final class ValueBox<T>: @unchecked Sendable {
    var value: T?
}
