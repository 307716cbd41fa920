import Foundation
import TraceLogStorage

/// Writes protobuf wire format for ``SpanDraft``s, byte for byte what SwiftProtobuf writes for the same message (fields
/// in field-number order, proto3 defaults left out, a present `status` written even when empty); the tests compare
/// the two.
///
/// Sizes of nested messages are computed before they are written (no temporary buffers per message).
struct WireWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Primitives

    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A field key: number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
    mutating func key(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

    mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func lengthDelimited(_ field: UInt64, _ payload: some Collection<UInt8>) {
        key(field, 2)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ field: UInt64, _ text: String) {
        guard !text.isEmpty else { return }
        key(field, 2)
        varint(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// A length-delimited field of `size` bytes whose content `body` writes.
    mutating func message(_ field: UInt64, size: Int, _ body: (inout WireWriter) -> Void) {
        key(field, 2)
        varint(UInt64(size))
        body(&self)
    }

    static func stringFieldSize(_ text: String) -> Int {
        let count = text.utf8.count
        return count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
    }

    static func messageFieldSize(_ size: Int) -> Int { 1 + varintSize(UInt64(size)) + size }

    mutating func traceID(_ field: UInt64, _ id: TraceID) {
        key(field, 2)
        bytes.append(16)
        withUnsafeBytes(of: id.high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func spanID(_ field: UInt64, _ id: UInt64) {
        key(field, 2)
        bytes.append(8)
        withUnsafeBytes(of: id.bigEndian) { bytes.append(contentsOf: $0) }
    }

    // MARK: Spans

    /// The encoded size of a draft span.
    static func size(of span: SpanDraft) -> Int {
        var size = 18 + 10  // trace id, span id
        if span.parentSpanID != 0 { size += 10 }
        size += stringFieldSize(span.name)
        size += 2  // kind
        if span.start != 0 { size += 9 }
        if span.end != 0 { size += 9 }
        for attribute in span.attributes { size += messageFieldSize(self.size(of: attribute)) }
        for event in span.events { size += messageFieldSize(self.size(of: event)) }
        for link in span.links { size += messageFieldSize(self.size(of: link)) }
        size += messageFieldSize(statusSize(span))
        return size
    }

    mutating func write(_ span: SpanDraft) {
        traceID(1, span.traceID)
        spanID(2, span.spanID)
        if span.parentSpanID != 0 { spanID(4, span.parentSpanID) }
        string(5, span.name)
        key(6, 0)
        varint(UInt64(SpanDraft.kind.rawValue))
        if span.start != 0 {
            key(7, 1)
            fixed64(span.start)
        }
        if span.end != 0 {
            key(8, 1)
            fixed64(span.end)
        }
        for attribute in span.attributes { write(9, attribute) }
        for event in span.events {
            message(11, size: Self.size(of: event)) { writer in
                if event.time != 0 {
                    writer.key(1, 1)
                    writer.fixed64(event.time)
                }
                writer.string(2, event.name)
                for attribute in event.attributes { writer.write(3, attribute) }
            }
        }
        for link in span.links {
            message(13, size: Self.size(of: link)) { writer in
                writer.traceID(1, link.traceID)
                writer.spanID(2, link.spanID)
                for attribute in link.attributes { writer.write(4, attribute) }
            }
        }
        message(15, size: Self.statusSize(span)) { writer in
            writer.string(2, span.statusMessage)
            if span.statusCode != 0 {
                writer.key(3, 0)
                writer.varint(UInt64(span.statusCode))
            }
        }
    }

    private static func statusSize(_ span: SpanDraft) -> Int {
        stringFieldSize(span.statusMessage) + (span.statusCode != 0 ? 1 + varintSize(UInt64(span.statusCode)) : 0)
    }

    private static func size(of event: DraftEvent) -> Int {
        var size = (event.time != 0 ? 9 : 0) + stringFieldSize(event.name)
        for attribute in event.attributes { size += messageFieldSize(self.size(of: attribute)) }
        return size
    }

    private static func size(of link: DraftLink) -> Int {
        var size = 18 + 10
        for attribute in link.attributes { size += messageFieldSize(self.size(of: attribute)) }
        return size
    }

    private static func valueSize(_ value: DraftValue) -> Int {
        switch value {
        case .string(let text):
            let count = text.utf8.count
            return 1 + varintSize(UInt64(count)) + count  // a set oneof field is written even when empty
        case .int(let number): return 1 + varintSize(UInt64(bitPattern: number))
        case .double: return 9
        }
    }

    private static func size(of attribute: DraftAttribute) -> Int {
        stringFieldSize(attribute.key) + messageFieldSize(valueSize(attribute.value))
    }

    private mutating func write(_ field: UInt64, _ attribute: DraftAttribute) {
        message(field, size: Self.size(of: attribute)) { writer in
            writer.string(1, attribute.key)
            writer.message(2, size: Self.valueSize(attribute.value)) { writer in
                switch attribute.value {
                case .string(let text):
                    writer.key(1, 2)
                    writer.varint(UInt64(text.utf8.count))
                    writer.bytes.append(contentsOf: text.utf8)
                case .int(let number):
                    writer.key(3, 0)
                    writer.varint(UInt64(bitPattern: number))
                case .double(let number):
                    writer.key(4, 1)
                    writer.fixed64(number.bitPattern)
                }
            }
        }
    }
}
