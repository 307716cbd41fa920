#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The writer's mutable state: the active segment, the batch being built, sequence numbers.
///
/// Always used under the writer's mutex. Writes happen here, synchronously, so that an append returns only
/// after its records are in the operating system; syncing is the ``GroupCommit``'s job.
struct WriterCore {
    let directory: LogDirectory
    let options: LogOptions
    var active: ActiveSegment?
    var builder: BatchBuilder
    /// The sequence number the next record gets.
    var nextSeq: UInt64
    /// Set once a write or sync failed: the writer accepts nothing more.
    var stopped: LogError?
    /// Set when the `fdatasync` that seals the active segment failed. The group commit must then never sync that
    /// file again: after a failed fsync the kernel may have dropped the dirty pages, so a retry could succeed and
    /// acknowledge records that are lost.
    var sealFailure: LogError?
    var closed = false
    /// Segments sealed by this writer, oldest first (for index builders).
    var sealedSinceOpen: [SegmentEntry] = []

    init(directory: LogDirectory, options: LogOptions, recovered: WriterRecovery.Outcome) {
        self.directory = directory
        self.options = options
        active = recovered.active
        nextSeq = recovered.nextSeq
        builder = BatchBuilder(targetBytes: options.batchTargetBytes)
    }

    /// Checks that the writer can take records.
    func checkUsable() throws(LogError) {
        if closed { throw .closed }
        if let stopped { throw .writerStopped(cause: stopped.description) }
    }

    /// Encodes, compresses and writes `records`; returns their sequence numbers.
    /// Either all records are written or the writer stops (a partial write is cut off again first).
    mutating func write(_ records: some Collection<Record>) throws(LogError) -> Range<UInt64> {
        try checkUsable()
        let first = nextSeq
        for record in records {
            builder.add(record)
            if builder.isFull { try flushBatch() }
        }
        if !builder.isEmpty { try flushBatch() }
        return first..<nextSeq
    }

    /// Seals the builder's records into one batch and writes it to the active segment, rolling as needed.
    private mutating func flushBatch() throws(LogError) {
        if active == nil || shouldRoll() { try roll() }
        guard var segment = active else { return }
        let baseSeq = nextSeq
        let offset = segment.size
        let outcome = builder.seal(baseSeq: baseSeq) { header, bytes in
            (header, Result { () throws(SystemError) in try segment.file.write(bytes, at: offset) })
        }
        let (header, written) = outcome
        if case .failure(let error) = written {
            // Cut whatever part of the batch reached the file so readers never see it, then stop.
            try? segment.file.truncate(to: offset)
            stopped = .io(error)
            throw .io(error)
        }
        segment.batches.append(BatchLocation(header: header, offset: offset))
        segment.size += Int64(header.totalLength)
        active = segment
        nextSeq = header.endSeq
    }

    private func shouldRoll() -> Bool {
        guard let active else { return true }
        if active.size >= options.segmentMaxBytes && !active.batches.isEmpty { return true }
        if let maxAge = options.segmentMaxAgeSeconds, !active.batches.isEmpty {
            return Double(SystemCalls.realtimeMicroseconds() - active.createdAt) / 1_000_000 >= maxAge
        }
        return false
    }

    /// Seals the active segment (synced first: sealed segments are always durable) and starts a new one.
    mutating func roll() throws(LogError) {
        if let current = active {
            do {
                try current.file.syncData()
            } catch {
                let failure = LogError.writerStopped(cause: "fdatasync failed while sealing \(current.name): \(error)")
                stopped = failure
                sealFailure = failure
                throw .io(error)
            }
            sealedSinceOpen.append(SegmentEntry(name: current.name, baseSeq: current.baseSeq))
        }
        do {
            let createdAt = SystemCalls.realtimeMicroseconds()
            let file = try directory.createSegment(baseSeq: nextSeq, createdAt: createdAt)
            active = ActiveSegment(
                file: file, name: SegmentName.segment(baseSeq: nextSeq), baseSeq: nextSeq, createdAt: createdAt,
                size: Int64(SegmentHeader.size), batches: [])
        } catch {
            stopped = error
            throw error
        }
    }
}
