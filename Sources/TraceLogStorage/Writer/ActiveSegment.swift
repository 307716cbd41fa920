/// The segment the writer appends to.
struct ActiveSegment {
    let file: OpenFile
    let name: String
    let baseSeq: UInt64
    let createdAt: Int64
    /// Where the next batch goes (the valid length of the file).
    var size: Int64
    /// Batches written so far (the in-memory sparse index of the active segment).
    var batches: [BatchLocation]
}
