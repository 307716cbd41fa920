extension LogReader {
    /// Streams records from `start` on, then keeps streaming new ones as they are appended, like `tail -f`.
    ///
    /// Works across processes: it polls with ``refresh()`` every `pollInterval` while idle (each poll costs a
    /// directory listing and one read of new bytes). The stream ends when the consuming task is cancelled, and
    /// fails on the first error (e.g. a corrupt batch).
    public func follow(from start: UInt64, pollInterval: Duration = .milliseconds(50))
        -> AsyncThrowingStream<StoredRecord, any Error>
    {
        AsyncThrowingStream { continuation in
            let task = Task {
                var next = start
                do {
                    while !Task.isCancelled {
                        try refresh()
                        var cursor = cursor(from: next)
                        var delivered = false
                        while let stored = try cursor.next() {
                            continuation.yield(stored)
                            next = stored.seq + 1
                            delivered = true
                        }
                        if !delivered { try await Task.sleep(for: pollInterval) }
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
