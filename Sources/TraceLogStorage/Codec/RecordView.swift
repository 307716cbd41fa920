/// A zero-copy view of one encoded record inside a decompressed batch.
///
/// Reads the fixed part (kind, time, trace id, failure class, cause type, attempt) and finds fields without
/// allocating: indexes, projections, `replay` and full scans use it to look at ids, tags, times and outcomes
/// without building a ``Record`` (a `String` per field and a copy of every JSON value). Get views from
/// ``LogReader/scanner(from:to:)``, ``LogReader/forEachRecord(inTrace:skippingDamage:_:)`` or
/// ``BatchPayload``; ``record()`` decodes one into a ``Record`` when a value is needed.
///
/// Not `Sendable` and not to be stored: a view points into a batch buffer and is valid only inside the closure
/// that handed it out. Its length and kind were checked when its batch was read; its field list is read through
/// bounds-checked decoders, so a malformed field list can make a field read as absent but never reads outside
/// the record. Scans check each record's field framing (``isWellFormed``) before handing it out.
public struct RecordView {
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
    public var size: Int { bytes.count }
    /// The record kind (checked when the view was made).
    public var kind: RecordKind { RecordKind(rawValue: bytes[RecordLayout.kindOffset])! }
    package var failureByte: UInt8 { bytes[RecordLayout.failureOffset] }
    package var causeTypeByte: UInt8 { bytes[RecordLayout.causeTypeOffset] }
    package var auxByte: UInt8 { bytes[RecordLayout.auxOffset] }
    /// The attempt number of an execution attempt (1-based); 0 for other kinds.
    public var attempt: UInt32 { bytes.loadLittleEndian(at: RecordLayout.attemptOffset, as: UInt32.self) }
    /// When it happened.
    public var time: Timestamp {
        Timestamp(microseconds: bytes.loadLittleEndian(at: RecordLayout.timeOffset, as: Int64.self))
    }
    /// The trace the record belongs to.
    public var traceID: TraceID {
        TraceID(
            high: bytes.loadLittleEndian(at: RecordLayout.traceHighOffset, as: UInt64.self),
            low: bytes.loadLittleEndian(at: RecordLayout.traceLowOffset, as: UInt64.self))
    }
    /// The failure class of an execution attempt; nil when it succeeded or is not an attempt.
    public var failure: FailureClass? { FailureClass(rawValue: failureByte) }
    /// The type of the entity that caused this one (its id is ``FieldTag/causeID``); for a trace start, the type
    /// of its origin (id in ``FieldTag/entityID``). Nil when there is none.
    public var causeType: EntityType? { EntityType(rawValue: causeTypeByte) }
    /// The source of a trigger instance; nil for other kinds.
    public var triggerSource: TriggerSource? { kind == .triggerInstance ? TriggerSource(rawValue: auxByte) : nil }
    /// The type of the entity a causation link is about; nil for other kinds.
    public var linkedType: EntityType? { kind == .causationLink ? EntityType(rawValue: auxByte) : nil }
    /// The type of the entity this record is about: its own (trigger instance, rule enforcement, execution for
    /// attempts and flow events) or, for a causation link, the linked one; nil for a trace start.
    public var entityType: EntityType? {
        switch kind {
        case .triggerInstance: .triggerInstance
        case .ruleEnforcement: .rule
        case .executionAttempt, .flowEvent: .execution
        case .causationLink: EntityType(rawValue: auxByte)
        case .traceStart: nil
        }
    }
    /// An execution attempt's duration in milliseconds, if recorded.
    public var durationMs: Double? {
        guard let value = field(.durationMs), value.count == 8 else { return nil }
        return Double(bitPattern: value.loadLittleEndian(at: 0, as: UInt64.self))
    }

    /// The UTF-8 bytes of a field (JSON values as stored, byte for byte), or nil when the record does not have
    /// it. Valid as long as the view. Cost: a walk over the fields before it (a few dozen bytes).
    public func field(_ tag: FieldTag) -> UnsafeRawBufferPointer? {
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        while let (rawTag, value) = decoder.readField() {
            if rawTag == tag.rawValue { return value }
            if rawTag > tag.rawValue { return nil }
        }
        return nil
    }

    /// A field as a `String` (one allocation), or nil when the record does not have it.
    public func string(_ tag: FieldTag) -> String? {
        field(tag).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with every field's tag and bytes, in order.
    public func forEachField(_ body: (UInt8, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        while let (rawTag, value) = decoder.readField() {
            try body(rawTag, value)
        }
    }

    /// Whether the field list is well formed: tags strictly ascending, every length inside the record, nothing
    /// after the last field. Decoding (``record()``) checks this too; scans check it before handing a view out.
    public var isWellFormed: Bool {
        var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
        var previousTag = 0
        while decoder.remaining > 0 {
            guard let tag = decoder.readByte(), Int(tag) > previousTag, let length = decoder.readVarint(),
                length <= UInt64(decoder.remaining), decoder.readBytes(Int(length)) != nil
            else { return false }
            previousTag = Int(tag)
        }
        return true
    }

    /// Decodes the whole record (a `String` per field, a copy of each JSON value).
    public func record() throws(RecordDecodingError) -> Record {
        guard isWellFormed else { throw RecordDecodingError(offset: 0, reason: "malformed record framing") }
        return try RecordDecoder.decode(self)
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

/// Every field of one record, located in one walk over its field list: for readers that look at many fields of
/// each record (`replay`'s writer), where ``RecordView/field(_:)`` would walk the list once per field.
package struct RecordFields {
    @usableFromInline let base: UnsafeRawPointer?
    /// Per tag 0…31: (offset from `base` + 1) << 32 | length; 0 when absent.
    @usableFromInline var ranges = InlineArray<32, UInt64>(repeating: 0)

    /// The fields of `view`, or nil when its field list is not well formed (see ``RecordView/isWellFormed``).
    package init?(_ view: RecordView) {
        base = view.bytes.baseAddress
        var decoder = BinaryDecoder(view.bytes, position: RecordLayout.fixedSize)
        var previousTag = 0
        while decoder.remaining > 0 {
            guard let tag = decoder.readByte(), Int(tag) > previousTag, let length = decoder.readVarint(),
                length <= UInt64(decoder.remaining), let value = decoder.readBytes(Int(length))
            else { return nil }
            previousTag = Int(tag)
            if Int(tag) < 32, let start = value.baseAddress, let base {
                ranges[Int(tag)] = UInt64(base.distance(to: start) + 1) << 32 | UInt64(value.count)
            }
        }
    }

    /// The bytes of a field, as ``RecordView/field(_:)`` gives them (inlinable: writers read a dozen a record).
    @inlinable @inline(__always) package subscript(_ tag: FieldTag) -> UnsafeRawBufferPointer? {
        let range = ranges[Int(tag.rawValue)]
        guard range != 0, let base else { return nil }
        return UnsafeRawBufferPointer(start: base + Int(range >> 32) - 1, count: Int(range & 0xFFFF_FFFF))
    }
}

/// Every field of one record, located in one walk into a table on the stack: ``RecordFields`` for writers that
/// read a dozen fields of each of millions of records (`replay`), where copying ``RecordFields``' 256-byte table
/// (each optional binding and field read copied it) cost a fifth of a replayed line.
package struct StackFields {
    @usableFromInline let base: UnsafeRawPointer?
    /// Per tag 0…31: (offset from `base` + 1) << 32 | length; 0 when absent.
    @usableFromInline let ranges: UnsafePointer<UInt64>

    /// The bytes of a field, as ``RecordView/field(_:)`` gives them.
    @inlinable package subscript(_ tag: FieldTag) -> UnsafeRawBufferPointer? {
        let range = ranges[Int(tag.rawValue)]
        guard range != 0, let base else { return nil }
        return UnsafeRawBufferPointer(start: base + Int(range >> 32) - 1, count: Int(range & 0xFFFF_FFFF))
    }
}

extension RecordView {
    /// Calls `body` with the fields of this record, valid only inside `body`; false (without calling it) when
    /// the field list is not well formed (see ``isWellFormed``). Allocates nothing: the table is on the stack.
    package func withFields(
        _ body: (StackFields) throws(RecordDecodingError) -> Void
    ) throws(RecordDecodingError) -> Bool {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 32) {
            (table) throws(RecordDecodingError) -> Bool in
            table.initialize(repeating: 0)
            let base = bytes.baseAddress
            var decoder = BinaryDecoder(bytes, position: RecordLayout.fixedSize)
            var previousTag = 0
            while decoder.remaining > 0 {
                guard let tag = decoder.readByte(), Int(tag) > previousTag, let length = decoder.readVarint(),
                    length <= UInt64(decoder.remaining), let value = decoder.readBytes(Int(length))
                else { return false }
                previousTag = Int(tag)
                if Int(tag) < 32, let start = value.baseAddress, let base {
                    table[Int(tag)] = UInt64(base.distance(to: start) + 1) << 32 | UInt64(value.count)
                }
            }
            try body(StackFields(base: base, ranges: UnsafePointer(table.baseAddress!)))
            return true
        }
    }
}
