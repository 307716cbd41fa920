import TraceLogStorage

/// (f) Round trips from records built out of the input (see ``RecordGenerator``): one to eight records, each
/// encoded and decoded alone, then all of them built into one batch and decoded and indexed again.
enum RoundTripTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var bytes = FuzzBytes(input)
        let count = Int(bytes.byte() % 8) + 1
        let targetBytes = Int(bytes.integer(UInt16.self)) + 1
        let baseSeq = min(bytes.integer(UInt64.self), UInt64.max - UInt64(count))
        var records: [Record] = []
        for _ in 0..<count { records.append(RecordGenerator.record(from: &bytes)) }
        for record in records { try checkRecord(record) }
        try checkBatch(records, baseSeq: baseSeq, targetBytes: targetBytes)
    }

    /// encode → view → decode gives the record back, and the view agrees with it.
    private static func checkRecord(_ record: Record) throws(Violation) {
        var encoder = BinaryEncoder()
        RecordEncoder.encode(record, into: &encoder)
        let outcome = try encoder.bytes.withUnsafeBytes { raw in
            Result { () throws(Violation) in try decodeAlone(raw, record) }
        }.get()
        try check(outcome.isSameRecord(as: record), "decode(encode(r)) != r for \(record)")
        try RecordTarget.checkEncodingAgain(record)
    }

    /// Decodes the one record that fills `raw` through its view, and checks the view against it.
    private static func decodeAlone(_ raw: UnsafeRawBufferPointer, _ record: Record) throws(Violation) -> Record {
        guard let view = RecordView(in: raw, at: 0) else {
            throw Violation(message: "an encoded record has no valid view: \(record)")
        }
        try check(view.size == raw.count, "the view covers \(view.size) of \(raw.count) bytes")
        let decoded: Record
        do {
            decoded = try RecordDecoder.decode(view)
        } catch {
            throw Violation(message: "an encoded record does not decode (\(error.reason)): \(record)")
        }
        try RecordTarget.checkView(view, decoded)
        return decoded
    }

    /// The records, built into one batch, come back from its bytes in order with their sequence numbers.
    private static func checkBatch(_ records: [Record], baseSeq: UInt64, targetBytes: Int) throws(Violation) {
        var builder = BatchBuilder(targetBytes: targetBytes)
        for record in records { builder.add(record) }
        let (header, framed) = builder.seal(baseSeq: baseSeq) { header, framed in (header, Array(framed)) }
        try check(builder.isEmpty, "the builder is not empty after sealing")
        try check(header.totalLength == framed.count, "the header's length differs from the batch's")
        try check(header.minTime == records.map(\.time.microseconds).min(), "wrong minimum time")
        try check(header.maxTime == records.map(\.time.microseconds).max(), "wrong maximum time")
        let decoded = framed.withUnsafeBytes { raw in
            BatchHeader.decode(raw).map { header in
                (header, BatchPayload.decode(header: header, stored: UnsafeRawBufferPointer(rebasing: raw[56...])))
            }
        }
        guard case .success(let (again, payloadOutcome)) = decoded else {
            throw Violation(message: "a built batch header does not decode: \(decoded)")
        }
        try check(again == header, "the header changed on the way through bytes")
        guard case .success(let payload) = payloadOutcome else {
            throw Violation(message: "a built batch payload does not decode: \(payloadOutcome)")
        }
        let stored: [StoredRecord]
        do {
            stored = try payload.records()
        } catch {
            throw Violation(message: "records of a built batch do not decode: \(error.reason)")
        }
        try check(stored.map(\.seq) == Array(baseSeq..<baseSeq + UInt64(records.count)), "wrong sequence numbers")
        try check(
            zip(stored, records).allSatisfy { $0.record.isSameRecord(as: $1) }, "records changed in a batch round trip")
        var index = MemoryIndex()
        index.add(payload)
        let starts = records.filter { $0.kind == .traceStart }.count
        try check(index.traceStarts.count == starts, "\(index.traceStarts.count) trace starts indexed of \(starts)")
    }
}
