/// Accumulates encoded records for one batch, then compresses and frames them.
///
/// Owned by the writer and reused for every batch, so steady-state appends allocate nothing here.
package struct BatchBuilder {
    /// Target uncompressed payload size; a batch is closed once it reaches this.
    let targetBytes: Int
    private(set) var payload: BinaryEncoder
    private(set) var recordCount: UInt32 = 0
    private(set) var minTime = Int64.max
    private(set) var maxTime = Int64.min
    /// Start offset of each record added since the last seal, for handing the sealed payload to an index.
    private var recordOffsets: [UInt32] = []
    private var compressed: [UInt8] = []
    private var framed: BinaryEncoder

    /// Creates a builder whose buffers are sized for batches of about `targetBytes`.
    package init(targetBytes: Int) {
        self.targetBytes = targetBytes
        payload = BinaryEncoder(capacity: targetBytes + 4096)
        framed = BinaryEncoder(capacity: LZ4Block.compressBound(targetBytes + 4096) + BatchHeader.size)
    }

    /// Whether no record was added since the last seal.
    package var isEmpty: Bool { recordCount == 0 }
    var isFull: Bool { payload.count >= targetBytes }

    /// Drops the records added since the last seal (a write that failed is cut back).
    package mutating func discard() {
        payload.removeAll()
        recordOffsets.removeAll(keepingCapacity: true)
        recordCount = 0
        minTime = .max
        maxTime = .min
    }

    /// Adds one record.
    package mutating func add(_ record: Record) {
        recordOffsets.append(UInt32(payload.count))
        RecordEncoder.encode(record, into: &payload)
        recordCount += 1
        minTime = min(minTime, record.time.microseconds)
        maxTime = max(maxTime, record.time.microseconds)
    }

    /// The records added so far as an uncompressed ``BatchPayload`` under `header` (the header ``seal(baseSeq:_:)``
    /// returned for them): what the writer hands to its own process's index, so that process never reads back
    /// and decompresses what it just wrote. Call it after `seal` hands out the header and before the next `add`.
    package func sealedPayload(header: BatchHeader) -> BatchPayload {
        BatchPayload(header: header, bytes: lastSealed.bytes, offsets: lastSealed.offsets)
    }

    /// The payload bytes and record offsets of the last sealed batch (kept only when ``keepsSealedPayload``).
    private var lastSealed: (bytes: [UInt8], offsets: [UInt32]) = ([], [])
    /// Whether ``seal(baseSeq:_:)`` keeps a copy of the uncompressed payload for ``sealedPayload(header:)``.
    package var keepsSealedPayload = false

    /// Compresses the records added so far into a framed batch starting at `baseSeq`, resets the builder,
    /// and calls `body` with the header and the batch bytes (header + payload).
    package mutating func seal<T>(baseSeq: UInt64, _ body: (BatchHeader, UnsafeRawBufferPointer) throws -> T) rethrows
        -> T
    {
        precondition(!isEmpty, "sealing an empty batch")
        let bound = LZ4Block.compressBound(payload.count)
        if compressed.count < bound { compressed = [UInt8](repeating: 0, count: bound) }
        let compressedLength = payload.bytes.withUnsafeBytes { source in
            compressed.withUnsafeMutableBytes { LZ4Block.compress(source, into: $0) }
        }
        let useLZ4 = compressedLength > 0 && compressedLength < payload.count
        let header: BatchHeader = compressed.withUnsafeBytes { compressedBytes in
            payload.bytes.withUnsafeBytes { rawPayload in
                let stored =
                    useLZ4 ? UnsafeRawBufferPointer(rebasing: compressedBytes[0..<compressedLength]) : rawPayload
                let header = BatchHeader(
                    codec: useLZ4 ? .lz4 : .stored, baseSeq: baseSeq, recordCount: recordCount,
                    uncompressedLength: UInt32(payload.count), storedLength: UInt32(stored.count),
                    minTime: minTime, maxTime: maxTime, payloadChecksum: CRC32C.checksum(stored))
                framed.removeAll()
                header.encode(into: &framed)
                framed.append(contentsOf: stored)
                return header
            }
        }
        if keepsSealedPayload {
            recordOffsets.append(UInt32(payload.count))
            lastSealed = (payload.bytes, recordOffsets)
        }
        payload.removeAll()
        recordOffsets.removeAll(keepingCapacity: true)
        recordCount = 0
        minTime = .max
        maxTime = .min
        return try framed.bytes.withUnsafeBytes { try body(header, $0) }
    }
}
