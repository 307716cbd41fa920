/// Encodes records into the binary layout of ``RecordLayout``.
package enum RecordEncoder {
    /// Appends one record to `encoder`.
    package static func encode(_ record: Record, into encoder: inout BinaryEncoder) {
        let start = encoder.count
        encoder.append(littleEndian: UInt32(0))  // patched below
        encoder.append(record.kind.rawValue)
        var fields = FieldWriter(encoder: encoder)
        switch record.body {
        case .traceStart(let start):
            fields.header(failure: nil, cause: start.origin?.type, aux: 0, attempt: 0, record: record)
            fields.string(.entityID, start.origin?.id)
            fields.string(.tag, start.tag)
        case .triggerInstance(let instance):
            fields.header(
                failure: nil, cause: instance.causedBy?.type, aux: instance.source.rawValue, attempt: 0,
                record: record)
            fields.string(.entityID, instance.id)
            fields.string(.causeID, instance.causedBy?.id)
            fields.string(.ref, instance.trigger)
            fields.string(.primaryJSON, instance.payload.text)
            fields.string(.hook, instance.hook)
            fields.string(.timer, instance.timer)
        case .ruleEnforcement(let enforcement):
            fields.header(failure: nil, cause: enforcement.causedBy?.type, aux: 0, attempt: 0, record: record)
            fields.string(.entityID, enforcement.id)
            fields.string(.causeID, enforcement.causedBy?.id)
            fields.string(.ref, enforcement.ruleRef)
            fields.string(.ruleID, enforcement.ruleID)
            fields.string(.triggerInstanceID, enforcement.triggerInstanceID)
            fields.string(.executionID, enforcement.executionID)
        case .executionAttempt(let attempt):
            fields.header(
                failure: attempt.failure, cause: attempt.causedBy?.type, aux: 0, attempt: attempt.attempt,
                record: record)
            fields.string(.entityID, attempt.id)
            fields.string(.causeID, attempt.causedBy?.id)
            fields.string(.ref, attempt.action)
            fields.string(.runID, attempt.runID)
            fields.string(.status, attempt.status)
            fields.string(.parent, attempt.parent)
            fields.string(.rerunOf, attempt.rerunOf)
            fields.string(.primaryJSON, attempt.input?.text)
            fields.string(.output, attempt.output?.text)
            fields.double(.durationMs, attempt.durationMs)
            fields.string(.failureMessage, attempt.failureMessage)
            fields.string(.otlp, attempt.otlp?.text)
        case .causationLink(let link):
            fields.header(
                failure: nil, cause: link.causedBy.type, aux: link.entity.type.rawValue, attempt: 0,
                record: record)
            fields.string(.entityID, link.entity.id)
            fields.string(.causeID, link.causedBy.id)
        case .flowEvent(let event):
            fields.header(failure: nil, cause: nil, aux: 0, attempt: 0, record: record)
            fields.string(.entityID, event.entityID)
            fields.string(.ref, event.event)
            fields.string(.primaryJSON, event.details.text)
            fields.string(.node, event.node)
        }
        encoder = fields.encoder
        encoder.set(littleEndian: UInt32(encoder.count - start - 4), at: start)
    }

    /// A cheap upper bound on the encoded size (string lengths are O(1) for native strings).
    package static func encodedSizeUpperBound(_ record: Record) -> Int {
        func length(_ value: String?) -> Int { value.map { $0.utf8.count + 11 } ?? 0 }
        let fields: Int
        switch record.body {
        case .traceStart(let start): fields = length(start.tag) + length(start.origin?.id)
        case .triggerInstance(let instance):
            fields =
                length(instance.id) + length(instance.trigger) + length(instance.payload.text)
                + length(instance.causedBy?.id) + length(instance.hook) + length(instance.timer)
        case .ruleEnforcement(let rule):
            fields =
                length(rule.id) + length(rule.ruleID) + length(rule.ruleRef) + length(rule.triggerInstanceID)
                + length(rule.executionID) + length(rule.causedBy?.id)
        case .executionAttempt(let attempt):
            fields =
                length(attempt.id) + length(attempt.action) + length(attempt.runID) + length(attempt.status)
                + length(attempt.parent) + length(attempt.rerunOf) + length(attempt.input?.text)
                + length(attempt.output?.text) + 19 + length(attempt.failureMessage) + length(attempt.causedBy?.id)
                + length(attempt.otlp?.text)
        case .causationLink(let link): fields = length(link.entity.id) + length(link.causedBy.id)
        case .flowEvent(let event):
            fields = length(event.event) + length(event.entityID) + length(event.node) + length(event.details.text)
        }
        return RecordLayout.fixedSize + fields
    }

    /// The exact encoded size of a record.
    package static func encodedSize(_ record: Record) -> Int {
        var encoder = BinaryEncoder(capacity: 256)
        encode(record, into: &encoder)
        return encoder.count
    }
}

/// Writes the fixed part after the kind byte, then tagged fields.
private struct FieldWriter {
    var encoder: BinaryEncoder

    mutating func header(failure: FailureClass?, cause: EntityType?, aux: UInt8, attempt: UInt32, record: Record) {
        encoder.append(failure?.rawValue ?? 0)
        encoder.append(cause?.rawValue ?? 0)
        encoder.append(aux)
        encoder.append(littleEndian: attempt)
        encoder.append(littleEndian: record.time.microseconds)
        encoder.append(littleEndian: record.traceID.high)
        encoder.append(littleEndian: record.traceID.low)
    }

    mutating func string(_ tag: FieldTag, _ value: String?) {
        guard var value else { return }
        encoder.append(tag.rawValue)
        value.withUTF8 { utf8 in
            encoder.appendVarint(UInt64(utf8.count))
            encoder.append(contentsOf: UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func double(_ tag: FieldTag, _ value: Double?) {
        guard let value else { return }
        encoder.append(tag.rawValue)
        encoder.appendVarint(8)
        encoder.append(littleEndian: value.bitPattern)
    }
}
