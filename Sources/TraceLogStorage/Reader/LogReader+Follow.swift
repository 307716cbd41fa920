extension LogReader {
    /// Streams records from `start` on, then keeps streaming new ones as they are appended, like `tail -f`.
    ///
    /// Works across processes: it polls with ``refresh()`` every `pollInterval` while idle (each poll costs a
    /// directory listing and one read of new bytes). The stream ends when the consuming task is cancelled, and
    /// fails on the first error (e.g. a corrupt batch). Built on ``followBatches(from:pollInterval:)``, decoding
    /// each record.
    public func follow(from start: UInt64, pollInterval: Duration = .milliseconds(50))
        -> AsyncThrowingStream<StoredRecord, any Error>
    {
        let batches = followBatches(from: start, pollInterval: pollInterval)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await batch in batches {
                        try batch.forEach { seq, view throws(RecordDecodingError) in
                            continuation.yield(StoredRecord(seq: seq, record: try view.record()))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Streams the log from `start` on as batches of zero-copy views (see ``RecordScanner``), then keeps
    /// streaming batches as they are appended, like `tail -f`: what `tracelog replay --follow` prints from.
    ///
    /// Polls with ``refresh()`` every `pollInterval` while idle. The stream ends when the consuming task is
    /// cancelled, and fails on the first error (e.g. a corrupt batch).
    public func followBatches(from start: UInt64, pollInterval: Duration = .milliseconds(50))
        -> AsyncThrowingStream<ScannedBatch, any Error>
    {
        AsyncThrowingStream { continuation in
            let task = Task {
                var next = start
                do {
                    while !Task.isCancelled {
                        try refresh()
                        var scanner = scanner(from: next)
                        var delivered = false
                        while let batch = try scanner.next() {
                            continuation.yield(batch)
                            next = batch.seqs.upperBound
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
