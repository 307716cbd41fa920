import Dispatch
import Synchronization
import TraceLogStorage

/// Runs a store's ingest work, one call after another, on one dedicated thread (a serial dispatch queue, never
/// Swift's cooperative pool, which `pwrite` and a segment roll's `fdatasync` would block).
///
/// Calls that arrive while one runs are taken together: each runs its body on the shared ``IngestSession`` in
/// arrival order, then everything they resolved is written in one append. Under load, many small requests
/// (`POST /v1/events`, webhooks) thus share batches and system calls, as the group commit shares `fdatasync`.
///
/// The append itself (encoding, compression, `pwrite`, handing the batches to the index) runs on the session's
/// write thread, so resolving the next calls overlaps writing the last ones: a third stage of the pipeline.
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

    /// Hands `body` to the ingest thread, after every call submitted before; the ticket delivers its value once
    /// what it resolved is written, and then acknowledged per `durability`.
    func submit<T: Sendable>(
        _ body: @escaping @Sendable (inout IngestSession) throws(LogError) -> T,
        durability: @escaping @Sendable (UInt64) async throws(LogError) -> Void
    ) -> IngestTicket<T> {
        let ticket = IngestTicket<T>(durability: durability)
        submit(
            Job(
                run: { session in
                    do throws(LogError) {
                        ticket.set(try body(&session))
                        return nil
                    } catch {
                        return error
                    }
                },
                finish: { ticket.finish($0) }))
        return ticket
    }

    /// Refuses later calls and waits for the ones running.
    func close() {
        pending.withLock { $0.closed = true }
        queue.sync { session.value.waitForWrites() }
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
            // The write runs on the session's write thread while this one goes on with the next calls; each
            // call's outcome is delivered once its records are written.
            session.value.flushInBackground { [errors] written in
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
}

/// The ingest session, owned by the queue and used only on its thread.
private final class SessionBox: @unchecked Sendable {
    var value: IngestSession

    init(_ value: consuming IngestSession) {
        self.value = value
    }
}
