/// Why bytes that passed the batch checksum still do not decode as records (a writer bug or a format mismatch).
package struct RecordDecodingError: Error, Hashable, Sendable {
    /// Offset of the record inside the decompressed batch payload.
    package var offset: Int
    /// What is wrong.
    package var reason: String
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
        var fields = DecodedFields()
        view.forEachField { tag, value in fields.store(tag, value) }
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
                    failureMessage: fields.string(.failureMessage), causedBy: cause))
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

/// The fields of one record, decoded to strings.
private struct DecodedFields {
    private var strings: [String?] = Array(repeating: nil, count: 32)
    var durationMs: Double?

    mutating func store(_ tag: UInt8, _ value: UnsafeRawBufferPointer) {
        if tag == FieldTag.durationMs.rawValue {
            if value.count == 8 { durationMs = Double(bitPattern: value.loadLittleEndian(at: 0, as: UInt64.self)) }
        } else if Int(tag) < strings.count {
            strings[Int(tag)] = String(decoding: value, as: UTF8.self)
        }
    }

    func string(_ tag: FieldTag) -> String? { strings[Int(tag.rawValue)] }

    func required(_ tag: FieldTag, _ offset: Int) throws(RecordDecodingError) -> String {
        guard let value = strings[Int(tag.rawValue)] else {
            throw RecordDecodingError(offset: offset, reason: "missing field \(tag)")
        }
        return value
    }
}
