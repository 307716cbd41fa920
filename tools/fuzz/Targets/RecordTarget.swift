import TraceLogIngest
import TraceLogStorage

/// (b) The record decoder and the zero-copy record view: records back to back, as in a decompressed payload.
///
/// Every record that decodes is also read through its view (fields, kind, trace id), indexed, printed as a
/// native JSON line (what `tracelog replay` does with it) both from the record and from the view, which must
/// agree byte for byte, and encoded again: encoding what was decoded and decoding that must give the same
/// record and the same bytes. A record that is framed but does not decode must be refused through its view
/// for the same reason.
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
                if let view { try checkRefusedView(view, error) }
                return
            }
            guard let view else { throw Violation(message: "a record decoded without a valid view") }
            try check(decoded.next == offset + view.size, "the next record is not right after this one")
            try checkView(view, decoded.record)
            try checkEncodingAgain(decoded.record)
            index.add(seq: seq, view: view)
            let line = NativeEventWriter().line(for: decoded.record)
            try check(line.hasPrefix("{\"type\":"), "a replay line does not start with its type: \(line)")
            try checkReplayFromView(view, decoded.record)
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

    /// `replay` writes the same line from the view as from the decoded record, and the view's checks pass.
    static func checkReplayFromView(_ view: RecordView, _ record: Record) throws(Violation) {
        var fromRecord: [UInt8] = []
        NativeEventWriter().append(record, to: &fromRecord)
        var fromView: [UInt8] = []
        do throws(RecordDecodingError) {
            try view.validate()
            try NativeEventWriter().append(view, to: &fromView)
        } catch {
            throw Violation(message: "a record that decodes is refused through its view: \(error.reason)")
        }
        try check(
            fromView == fromRecord,
            "replay from the view differs: \(String(decoding: fromView, as: UTF8.self)) vs "
                + String(decoding: fromRecord, as: UTF8.self))
    }

    /// A record that is framed but does not decode is refused through its view too, for the same reason
    /// (what `replay` and projections from views rely on), and the writer leaves its buffer as it was.
    static func checkRefusedView(_ view: RecordView, _ error: RecordDecodingError) throws(Violation) {
        let validated = Result { () throws(RecordDecodingError) in try view.validate() }
        guard case .failure(let refusal) = validated else {
            throw Violation(message: "validate() accepts a record that does not decode (\(error.reason))")
        }
        try check(refusal.reason == error.reason, "validate() says '\(refusal.reason)', decoding '\(error.reason)'")
        var buffer: [UInt8] = [1, 2, 3]
        let written = Result { () throws(RecordDecodingError) in try NativeEventWriter().append(view, to: &buffer) }
        guard case .failure(let writerRefusal) = written else {
            throw Violation(message: "replay from a view writes a record that does not decode (\(error.reason))")
        }
        try check(
            writerRefusal.reason == error.reason, "replay says '\(writerRefusal.reason)', decoding '\(error.reason)'")
        try check(buffer == [1, 2, 3], "a refused line left bytes in the buffer")
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
