/// A zero-copy view of one encoded record inside a batch buffer.
///
/// Reads the fixed part and finds fields without allocating; indexes and projections use it to look at
/// ids, tags, times and failure classes without decoding whole records. Valid only while the buffer it
/// points into is alive (inside the closure that handed it out).
package struct RecordView {
    /// The record's bytes, from its length prefix to its last field.
    let bytes: UnsafeRawBufferPointer

    /// Validates the fixed part and the field framing of the record starting at `offset`.
    /// Returns nil when the bytes there are not a well-formed record.
    package init?(in buffer: UnsafeRawBufferPointer, at offset: Int) {
        guard offset >= 0, buffer.count - offset >= RecordLayout.fixedSize else { return nil }
        let bodyLength = Int(buffer.loadLittleEndian(at: offset, as: UInt32.self))
        let total = bodyLength + 4
        guard total >= RecordLayout.fixedSize, buffer.count - offset >= total else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + total])
        guard RecordKind(rawValue: bytes[RecordLayout.kindOffset]) != nil else { return nil }
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        var previousTag = 0
        while decoder.remaining > 0 {
            guard let tag = decoder.readByte(), Int(tag) > previousTag, let length = decoder.readVarint(),
                length <= UInt64(decoder.remaining), decoder.readBytes(Int(length)) != nil
            else { return nil }
            previousTag = Int(tag)
        }
        self.bytes = bytes
    }

    /// The size of the record starting at `offset` if its length fits the buffer, covers the fixed part, and its
    /// kind is known — the checks that make a view safe to read, without walking its fields.
    static func framedSize(in buffer: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard offset >= 0, buffer.count - offset >= RecordLayout.fixedSize else { return nil }
        let total = Int(buffer.loadLittleEndian(at: offset, as: UInt32.self)) + 4
        guard total >= RecordLayout.fixedSize, buffer.count - offset >= total,
            RecordKind(rawValue: buffer[offset + RecordLayout.kindOffset]) != nil
        else { return nil }
        return total
    }

    /// A view of bytes whose length and kind were already checked (by ``BatchPayload/decode(header:stored:)``);
    /// its fields are read through bounds-checked decoding, so a malformed field list ends the walk early.
    init(validated bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The record's length in bytes, length prefix included.
    package var size: Int { bytes.count }
    /// The record kind (checked when the view was made).
    package var kind: RecordKind { RecordKind(rawValue: bytes[RecordLayout.kindOffset])! }
    var failureByte: UInt8 { bytes[RecordLayout.failureOffset] }
    var causeTypeByte: UInt8 { bytes[RecordLayout.causeTypeOffset] }
    var auxByte: UInt8 { bytes[RecordLayout.auxOffset] }
    var attempt: UInt32 { bytes.loadLittleEndian(at: RecordLayout.attemptOffset, as: UInt32.self) }
    var time: Timestamp { Timestamp(microseconds: bytes.loadLittleEndian(at: RecordLayout.timeOffset, as: Int64.self)) }
    /// The trace the record belongs to.
    package var traceID: TraceID {
        TraceID(
            high: bytes.loadLittleEndian(at: RecordLayout.traceHighOffset, as: UInt64.self),
            low: bytes.loadLittleEndian(at: RecordLayout.traceLowOffset, as: UInt64.self))
    }

    /// The bytes of a field, or nil when the record does not have it.
    package func field(_ tag: FieldTag) -> UnsafeRawBufferPointer? {
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        while let (rawTag, value) = decoder.readField() {
            if rawTag == tag.rawValue { return value }
            if rawTag > tag.rawValue { return nil }
        }
        return nil
    }

    /// Calls `body` with every field's tag and bytes, in order.
    package func forEachField(_ body: (UInt8, UnsafeRawBufferPointer) -> Void) {
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        while let (rawTag, value) = decoder.readField() {
            body(rawTag, value)
        }
    }
}

extension BinaryDecoder {
    /// Reads one tag-length-value field; nil at the end or when the length runs past the bytes.
    mutating func readField() -> (UInt8, UnsafeRawBufferPointer)? {
        guard let tag = readByte(), let length = readVarint(), length <= UInt64(remaining),
            let value = readBytes(Int(length))
        else { return nil }
        return (tag, value)
    }
}
