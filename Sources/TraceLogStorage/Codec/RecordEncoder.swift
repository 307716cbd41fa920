/// Encodes records into the binary layout of ``RecordLayout``.
package enum RecordEncoder {
    /// Appends one record to `encoder`.
    ///
    /// Writes through a raw pointer into stack room, then appends the bytes written in one copy: a per-byte
    /// `Array.append` (a capacity and uniqueness check each) cost more than the rest of encoding. The room is
    /// ``firstRoom`` bytes; a record that does not fit is encoded again into room for
    /// ``encodedSizeUpperBound(_:)`` bytes (computing that bound for every record cost ~175 instructions).
    package static func encode(_ record: Record, into encoder: inout BinaryEncoder) {
        if encoder.append(maximumCount: firstRoom, { encode(record, start: $0, end: $1) }) { return }
        let appended = encoder.append(maximumCount: encodedSizeUpperBound(record)) {
            encode(record, start: $0, end: $1)
        }
        precondition(appended, "record larger than its encoded size bound")
    }

    /// Room for the first attempt at encoding a record; nearly every record fits. At most 1 KiB, the size
    /// `withUnsafeTemporaryAllocation` always takes from the stack (2 KiB went to the heap, once per record).
    static let firstRoom = 1024

    /// The record's bytes from `start`, or nil when they do not fit before `end`.
    private static func encode(
        _ record: Record, start: UnsafeMutableRawPointer, end: UnsafeMutableRawPointer
    ) -> Int? {
        var fields = FieldWriter(start: start, end: end)
        fields.skip(4)  // the body length, patched below
        fields.byte(record.kind.rawValue)
        write(record, into: &fields)
        guard !fields.overflowed else { return nil }
        let length = fields.position - start
        start.storeBytes(of: UInt32(length - 4).littleEndian, as: UInt32.self)
        return length
    }

    private static func write(_ record: Record, into fields: inout FieldWriter) {
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

/// Writes the fixed part after the kind byte, then tagged fields, through a raw pointer into room that ends at
/// `end`. Every write checks that it stays inside that room (one comparison); one that would not fit writes
/// nothing and sets ``overflowed``, and the caller then discards what was written.
private struct FieldWriter {
    private(set) var position: UnsafeMutableRawPointer
    let end: UnsafeMutableRawPointer
    /// Whether a write did not fit (the bytes written are then incomplete).
    private(set) var overflowed = false

    init(start: UnsafeMutableRawPointer, end: UnsafeMutableRawPointer) {
        position = start
        self.end = end
    }

    /// Whether `count` more bytes fit; if not, notes the overflow.
    @inline(__always)
    private mutating func reserve(_ count: Int) -> Bool {
        if end - position >= count { return true }
        overflowed = true
        return false
    }

    @inline(__always)
    mutating func skip(_ count: Int) {
        guard reserve(count) else { return }
        position += count
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        guard reserve(1) else { return }
        position.storeBytes(of: value, as: UInt8.self)
        position += 1
    }

    @inline(__always)
    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        guard reserve(MemoryLayout<T>.size) else { return }
        position.storeBytes(of: value.littleEndian, as: T.self)
        position += MemoryLayout<T>.size
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        guard reserve(Varint.maximumSize) else { return }
        position += Varint.write(value, to: position)
    }

    mutating func header(failure: FailureClass?, cause: EntityType?, aux: UInt8, attempt: UInt32, record: Record) {
        guard reserve(RecordLayout.fixedSize - RecordLayout.failureOffset) else { return }
        position.storeBytes(of: failure?.rawValue ?? 0, as: UInt8.self)
        position.storeBytes(of: cause?.rawValue ?? 0, toByteOffset: 1, as: UInt8.self)
        position.storeBytes(of: aux, toByteOffset: 2, as: UInt8.self)
        position.storeBytes(of: attempt.littleEndian, toByteOffset: 3, as: UInt32.self)
        position.storeBytes(of: record.time.microseconds.littleEndian, toByteOffset: 7, as: Int64.self)
        position.storeBytes(of: record.traceID.high.littleEndian, toByteOffset: 15, as: UInt64.self)
        position.storeBytes(of: record.traceID.low.littleEndian, toByteOffset: 23, as: UInt64.self)
        position += RecordLayout.fixedSize - RecordLayout.failureOffset
    }

    mutating func string(_ tag: FieldTag, _ value: String?) {
        guard let value else { return }
        // The UTF-8 in place (native strings, small ones spilled to the stack) without `withUTF8`'s copy of the
        // string (a retain and a release); the copy only for strings without contiguous UTF-8.
        if value.utf8.withContiguousStorageIfAvailable({ bytes(tag, $0) }) == nil {
            var copy = value
            copy.withUTF8 { bytes(tag, $0) }
        }
    }

    @inline(__always)
    private mutating func bytes(_ tag: FieldTag, _ utf8: UnsafeBufferPointer<UInt8>) {
        byte(tag.rawValue)
        varint(UInt64(utf8.count))
        guard reserve(utf8.count) else { return }
        if let base = utf8.baseAddress { position.copyMemory(from: base, byteCount: utf8.count) }
        position += utf8.count
    }

    mutating func double(_ tag: FieldTag, _ value: Double?) {
        guard let value else { return }
        byte(tag.rawValue)
        varint(8)
        integer(value.bitPattern)
    }
}
