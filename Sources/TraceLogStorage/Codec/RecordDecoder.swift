/// Why bytes that passed the batch checksum still do not decode as records (a writer bug or a format mismatch).
public struct RecordDecodingError: Error, Hashable, Sendable {
    /// Offset of the record inside the decompressed batch payload (0 when decoded from a lone view).
    public var offset: Int
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
}

/// Decodes records written by ``RecordEncoder``.
package enum RecordDecoder {
    /// Decodes the record at `offset`; returns it and the offset of the next record.
    package static func decode(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws(RecordDecodingError) -> (
        Record, Int
    ) {
        guard let view = RecordView(in: buffer, at: offset) else {
            throw RecordDecodingError(offset: offset, reason: "malformed record framing")
        }
        return (try decode(view, offset: offset), offset + view.size)
    }

    /// Decodes a whole record from a validated view.
    package static func decode(_ view: RecordView, offset: Int = 0) throws(RecordDecodingError) -> Record {
        let fields = DecodedFields(view)
        let cause = try causeRef(view, fields, offset)
        let body: RecordBody
        switch view.kind {
        case .traceStart:
            let origin = try EntityType(rawValue: view.causeTypeByte).map { type throws(RecordDecodingError) in
                EntityRef(type: type, id: try fields.required(.entityID, offset))
            }
            body = .traceStart(TraceStart(tag: try fields.required(.tag, offset), origin: origin))
        case .triggerInstance:
            guard let source = TriggerSource(rawValue: view.auxByte) else {
                throw RecordDecodingError(offset: offset, reason: "unknown trigger source \(view.auxByte)")
            }
            body = .triggerInstance(
                TriggerInstance(
                    id: try fields.required(.entityID, offset), trigger: try fields.required(.ref, offset),
                    source: source, payload: RawJSON(try fields.required(.primaryJSON, offset)), causedBy: cause,
                    hook: fields.string(.hook), timer: fields.string(.timer)))
        case .ruleEnforcement:
            body = .ruleEnforcement(
                RuleEnforcement(
                    id: try fields.required(.entityID, offset), ruleID: try fields.required(.ruleID, offset),
                    ruleRef: try fields.required(.ref, offset),
                    triggerInstanceID: try fields.required(.triggerInstanceID, offset),
                    executionID: fields.string(.executionID), causedBy: cause))
        case .executionAttempt:
            body = .executionAttempt(
                ExecutionAttempt(
                    id: try fields.required(.entityID, offset), action: try fields.required(.ref, offset),
                    runID: fields.string(.runID), attempt: view.attempt, status: fields.string(.status),
                    parent: fields.string(.parent), rerunOf: fields.string(.rerunOf),
                    input: fields.string(.primaryJSON).map(RawJSON.init),
                    output: fields.string(.output).map(RawJSON.init),
                    durationMs: fields.durationMs, failure: FailureClass(rawValue: view.failureByte),
                    failureMessage: fields.string(.failureMessage), causedBy: cause,
                    otlp: fields.string(.otlp).map(RawJSON.init)))
        case .causationLink:
            guard let effectType = EntityType(rawValue: view.auxByte), let cause else {
                throw RecordDecodingError(offset: offset, reason: "causation link without both ends")
            }
            body = .causationLink(
                CausationLink(
                    entity: EntityRef(type: effectType, id: try fields.required(.entityID, offset)),
                    causedBy: cause))
        case .flowEvent:
            body = .flowEvent(
                FlowEvent(
                    event: try fields.required(.ref, offset), entityID: fields.string(.entityID),
                    node: fields.string(.node), details: RawJSON(try fields.required(.primaryJSON, offset))))
        }
        return Record(time: view.time, traceID: view.traceID, body: body)
    }

    private static func causeRef(_ view: RecordView, _ fields: DecodedFields, _ offset: Int)
        throws(RecordDecodingError) -> EntityRef?
    {
        guard view.kind != .traceStart, view.causeTypeByte != 0 else { return nil }
        guard let type = EntityType(rawValue: view.causeTypeByte) else {
            throw RecordDecodingError(offset: offset, reason: "unknown cause type \(view.causeTypeByte)")
        }
        return EntityRef(type: type, id: try fields.required(.causeID, offset))
    }
}

/// The fields of one record, as byte ranges of the decompressed batch; a field becomes a `String` only when the
/// record's body reads it. Kept inline and small (no heap array per record: that allocation, and copying a
/// larger inline table, were a large share of replay).
private struct DecodedFields {
    /// Where the offsets below count from: the record's first byte.
    private let base: UnsafeRawPointer?
    /// Per field tag: (offset from `base` + 1) << 32 | length; 0 when the field is absent.
    private var ranges = InlineArray<32, UInt64>(repeating: 0)
    var durationMs: Double?

    init(_ view: RecordView) {
        base = view.bytes.baseAddress
        view.forEachField { tag, value in
            if tag == FieldTag.durationMs.rawValue {
                if value.count == 8 { durationMs = Double(bitPattern: value.loadLittleEndian(at: 0, as: UInt64.self)) }
            } else if Int(tag) < ranges.count, let start = value.baseAddress, let base {
                ranges[Int(tag)] = UInt64(base.distance(to: start) + 1) << 32 | UInt64(value.count)
            }
        }
    }

    func string(_ tag: FieldTag) -> String? {
        let range = ranges[Int(tag.rawValue)]
        guard range != 0, let base else { return nil }
        let bytes = UnsafeRawBufferPointer(start: base + Int(range >> 32) - 1, count: Int(range & 0xFFFF_FFFF))
        return String(decoding: bytes, as: UTF8.self)
    }

    func required(_ tag: FieldTag, _ offset: Int) throws(RecordDecodingError) -> String {
        guard let value = string(tag) else {
            throw RecordDecodingError(offset: offset, reason: "missing field \(tag)")
        }
        return value
    }
}

extension RecordView {
    /// Throws exactly where ``RecordDecoder/decode(_:offset:)`` would (a missing required field, an unknown cause
    /// type, trigger source or linked type), without building anything: for readers of views that must treat a
    /// record as decoding would (projections, `replay`). A malformed field list throws as decoding does.
    package func validate() throws(RecordDecodingError) {
        guard let fields = RecordFields(self) else {
            throw RecordDecodingError(offset: 0, reason: "malformed record framing")
        }
        try validate(fields)
    }

    /// ``validate()`` with the fields already located.
    package func validate(_ fields: RecordFields) throws(RecordDecodingError) {
        func require(_ tag: FieldTag) throws(RecordDecodingError) {
            guard fields[tag] != nil else { throw RecordDecodingError(offset: 0, reason: "missing field \(tag)") }
        }
        if kind != .traceStart, causeTypeByte != 0 {
            guard EntityType(rawValue: causeTypeByte) != nil else {
                throw RecordDecodingError(offset: 0, reason: "unknown cause type \(causeTypeByte)")
            }
            try require(.causeID)
        }
        switch kind {
        case .traceStart:
            if EntityType(rawValue: causeTypeByte) != nil { try require(.entityID) }
            try require(.tag)
        case .triggerInstance:
            guard TriggerSource(rawValue: auxByte) != nil else {
                throw RecordDecodingError(offset: 0, reason: "unknown trigger source \(auxByte)")
            }
            try require(.entityID)
            try require(.ref)
            try require(.primaryJSON)
        case .ruleEnforcement:
            try require(.entityID)
            try require(.ruleID)
            try require(.ref)
            try require(.triggerInstanceID)
        case .executionAttempt:
            try require(.entityID)
            try require(.ref)
        case .causationLink:
            guard EntityType(rawValue: auxByte) != nil, causeTypeByte != 0 else {
                throw RecordDecodingError(offset: 0, reason: "causation link without both ends")
            }
            try require(.entityID)
        case .flowEvent:
            try require(.ref)
            try require(.primaryJSON)
        }
    }
}
