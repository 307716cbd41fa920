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
    /// During a ``write(_:handOff:)`` that rolled: the segment active when it began, to restore if it fails.
    private var rolledFrom: ActiveSegment?
    /// Whether a ``write(_:handOff:)`` is running (a roll then keeps ``rolledFrom``).
    private var writing = false

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

    /// Encodes, compresses and writes `records`; returns their sequence numbers, and, when `handOff` is true,
    /// every batch written with its uncompressed payload (for this process's index: see ``WrittenBatch``).
    ///
    /// All or nothing: if any batch fails to write, every batch of this call is cut off again — the active
    /// segment truncated back to where the call began, segments the call created removed — before the error is
    /// thrown, so a failed call leaves the log as it was (an atomic request is stored whole or not at all, also
    /// when the disk fills). The writer then stops, as after any failed write: reopening the log goes on.
    mutating func write(_ records: some Collection<Record>, handOff: Bool = false) throws(LogError) -> (
        range: Range<UInt64>, written: [WrittenBatch]
    ) {
        var index = records.startIndex
        return try write(count: records.count, handOff: handOff) { builder in
            builder.add(records[index])
            records.formIndex(after: &index)
        }
    }

    /// ``write(_:handOff:)`` that takes the records out of `records` (each is swapped for an empty placeholder)
    /// instead of copying them: a copy of a record retains, and later releases, every string in it, which cost
    /// the write thread as much as encoding it. `records` holds only placeholders afterwards.
    mutating func write(taking records: inout [Record], handOff: Bool = false) throws(LogError) -> (
        range: Range<UInt64>, written: [WrittenBatch]
    ) {
        var index = 0
        return try write(count: records.count, handOff: handOff) { builder in
            var record = Self.placeholder
            swap(&record, &records[index])
            builder.add(record)
            index += 1
        }
    }

    /// What ``write(taking:handOff:)`` leaves in place of a record: no string in it is allocated.
    private static let placeholder = Record(
        time: Timestamp(microseconds: 0), traceID: TraceID(high: 0, low: 0), body: .traceStart(TraceStart(tag: "")))

    /// The body of both writes: `addNext` adds the next of `count` records to the builder.
    private mutating func write(count: Int, handOff: Bool, addNext: (inout BatchBuilder) -> Void) throws(LogError) -> (
        range: Range<UInt64>, written: [WrittenBatch]
    ) {
        try checkUsable()
        let first = nextSeq
        let start = WriteStart(
            segment: active.map { ($0.baseSeq, $0.file, $0.size, $0.batches.count) },
            sealedCount: sealedSinceOpen.count,
            nextSeq: nextSeq)
        builder.keepsSealedPayload = handOff
        writing = true
        defer {
            writing = false
            rolledFrom = nil
        }
        var written: [WrittenBatch] = []
        do throws(LogError) {
            for _ in 0..<count {
                addNext(&builder)
                if builder.isFull { try flushBatch(into: &written, handOff: handOff) }
            }
            if !builder.isEmpty { try flushBatch(into: &written, handOff: handOff) }
        } catch {
            cutBack(to: start, after: error)
            throw error
        }
        return (first..<nextSeq, written)
    }

    /// Where a ``write(_:handOff:)`` began: what a failed call is cut back to. Holds the active segment's file and
    /// counts, not a copy of its batch list, which would make the next append copy that whole list.
    private struct WriteStart {
        var segment: (baseSeq: UInt64, file: OpenFile, size: Int64, batches: Int)?
        var sealedCount: Int
        var nextSeq: UInt64
    }

    /// Undoes a failed write: truncates the segment it began in back to its length then, removes segments it
    /// created, drops the records still in the builder, and stops the writer. What cannot be undone (a segment
    /// that cannot be removed) is left to the next open's recovery, which also sees a torn tail there.
    private mutating func cutBack(to start: WriteStart, after error: LogError) {
        builder.discard()
        var clean = true
        var restored: ActiveSegment?
        if let current = active, current.baseSeq != start.segment?.baseSeq {
            // The call rolled: remove the segments it created (their records are all of this call).
            for segment in sealedSinceOpen[start.sealedCount...] where segment.baseSeq != start.segment?.baseSeq {
                clean = removeSegment(segment.name) && clean
            }
            clean = removeSegment(current.name) && clean
            restored = rolledFrom
        } else {
            restored = active
        }
        sealedSinceOpen.removeSubrange(start.sealedCount...)
        if let original = start.segment {
            do {
                try original.file.truncate(to: original.size)
            } catch {
                clean = false
            }
            restored?.size = original.size
            restored?.batches.removeSubrange(original.batches...)
        }
        active = start.segment == nil ? nil : restored
        rolledFrom = nil
        nextSeq = start.nextSeq
        if stopped == nil { stopped = clean ? error : .writerStopped(cause: "\(error); cutting the write back failed") }
    }

    /// Removes a segment file this writer created in a failed call; false if it could not.
    private func removeSegment(_ name: String) -> Bool {
        do {
            try directory.io.unlink(directory.file(name))
            return true
        } catch {
            return false
        }
    }

    /// Seals the builder's records into one batch and writes it to the active segment, rolling as needed;
    /// appends it to `written` when `handOff` is true.
    private mutating func flushBatch(into written: inout [WrittenBatch], handOff: Bool) throws(LogError) {
        if active == nil || shouldRoll() { try roll() }
        guard var segment = active else { return }
        // Taken out while it changes, so its batch list stays uniquely referenced and `append` does not copy it
        // (a copy per batch made each append cost O(batches in the segment)); put back on every path.
        active = nil
        defer { active = segment }
        let baseSeq = nextSeq
        let offset = segment.size
        let outcome = builder.seal(baseSeq: baseSeq) { header, bytes in
            (header, Result { () throws(SystemError) in try segment.file.write(bytes, at: offset) })
        }
        let (header, result) = outcome
        if case .failure(let error) = result { throw .io(error) }
        let location = BatchLocation(header: header, offset: offset)
        segment.batches.append(location)
        segment.size += Int64(header.totalLength)
        if handOff {
            written.append(
                WrittenBatch(
                    segmentBaseSeq: segment.baseSeq, location: location,
                    payload: builder.sealedPayload(header: header)))
        }
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
            if writing, rolledFrom == nil { rolledFrom = current }
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
