/// A batch the writer has just written, with its records still uncompressed.
///
/// The writer's own process indexes what it appends from these (``LogReader/absorb(_:)``) instead of reading
/// the segment back and decompressing it. Readers in other processes still find the batch by scanning.
package struct WrittenBatch: Sendable {
    /// The base sequence number of the segment it was written to.
    package var segmentBaseSeq: UInt64
    /// Where it is in that segment.
    package var location: BatchLocation
    /// Its records, as written (before compression).
    package var payload: BatchPayload
}
