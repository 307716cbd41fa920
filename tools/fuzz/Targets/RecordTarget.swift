import TraceLogIngest
import TraceLogStorage

/// (b) The record decoder and the zero-copy record view: records back to back, as in a decompressed payload.
///
/// Every record that decodes is also read through its view (fields, kind, trace id), indexed, printed as a
/// native JSON line (what `tracelog replay` does with it), and encoded again: encoding what was decoded and
/// decoding that must give the same record and the same bytes.
enum RecordTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var index = MemoryIndex()
        var offset = 0
        var seq: UInt64 = 0
        while offset < input.count {
            let view = RecordView(in: input, at: offset)
            let decoded: (record: Record, next: Int)
            do {
                decoded = try RecordDecoder.decode(input, at: offset)
            } catch {
                try check(error.offset == offset, "an error names offset \(error.offset), not \(offset)")
                return
            }
            guard let view else { throw Violation(message: "a record decoded without a valid view") }
            try check(decoded.next == offset + view.size, "the next record is not right after this one")
            try checkView(view, decoded.record)
            try checkEncodingAgain(decoded.record)
            index.add(seq: seq, view: view)
            let line = NativeEventWriter().line(for: decoded.record)
            try check(line.hasPrefix("{\"type\":"), "a replay line does not start with its type: \(line)")
            offset = decoded.next
            seq += 1
        }
        try BatchTarget.checkSorted(index)
    }

    /// The view agrees with the decoded record, and finds each field that a walk over all fields finds.
    static func checkView(_ view: RecordView, _ record: Record) throws(Violation) {
        try check(view.kind == record.kind, "view kind \(view.kind) vs decoded \(record.kind)")
        try check(view.traceID == record.traceID, "view trace id differs from the decoded one")
        var fields: [(UInt8, [UInt8])] = []
        view.forEachField { tag, value in fields.append((tag, Array(value))) }
        try check(zip(fields, fields.dropFirst()).allSatisfy { $0.0 < $1.0 }, "field tags are not ascending")
        for raw in UInt8(1)...UInt8(32) {
            guard let tag = FieldTag(rawValue: raw) else { continue }
            let found = view.field(tag).map { Array($0) }
            let walked = fields.first { $0.0 == raw }?.1
            try check(found == walked, "field(\(tag)) differs from the walk over all fields")
        }
    }

    /// Encoding a record, then decoding and encoding again, gives the same record and the same bytes.
    static func checkEncodingAgain(_ record: Record) throws(Violation) {
        var first = BinaryEncoder()
        RecordEncoder.encode(record, into: &first)
        try check(RecordEncoder.encodedSize(record) == first.count, "encodedSize differs from the encoding")
        try check(
            RecordEncoder.encodedSizeUpperBound(record) >= first.count,
            "encodedSizeUpperBound \(RecordEncoder.encodedSizeUpperBound(record)) < \(first.count)")
        let again = first.bytes.withUnsafeBytes { raw in
            Result { () throws(RecordDecodingError) in try RecordDecoder.decode(raw, at: 0) }
        }
        guard case .success(let (decoded, next)) = again else {
            throw Violation(message: "an encoded record does not decode: \(again)")
        }
        try check(next == first.count, "the encoding has \(first.count - next) bytes after the record")
        try check(decoded.isSameRecord(as: record), "decode(encode(r)) != r for \(record)")
        var second = BinaryEncoder()
        RecordEncoder.encode(decoded, into: &second)
        try check(second.bytes == first.bytes, "encoding is not stable across a decode")
    }
}
