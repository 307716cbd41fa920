/// The lookups the log keeps indexes for (SPEC §8).
public enum IndexKind: UInt8, Hashable, Sendable, CaseIterable {
    /// Every record, by the trace it belongs to.
    case traceID = 1
    /// Trace-start records, by tag.
    case tag = 2
    /// Execution attempts (and flow events and links about executions), by execution id.
    case execution = 3
    /// Rule enforcements, by enforcement id, rule id and rule ref.
    case rule = 4
    /// Trigger instances, by id.
    case triggerInstance = 5
}

/// 64-bit key hashes for the indexes: the kind and the key's bytes, eight at a time, then a murmur3 finalizer.
///
/// Index entries store only the hash; a lookup verifies each candidate against the record itself, so a
/// collision costs a wasted read, never a wrong answer.
package enum KeyHash {
    /// The hash of a key's UTF-8 bytes under an index kind.
    package static func hash(_ kind: IndexKind, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // Eight bytes per step (multiply-xorshift), then the tail, then a murmur3 finalizer.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(kind.rawValue) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail ^ (UInt64(bytes.count) << 56)) &* 0x0000_0100_0000_01b3
        return finalize(hash)
    }

    /// The hash of a key under an index kind.
    package static func hash(_ kind: IndexKind, _ key: String) -> UInt64 {
        // A native string's bytes are read where they are: `withUTF8` on a copy retained and released it (trace
        // resolution hashes every event's entity and cause).
        if let hash = key.utf8.withContiguousStorageIfAvailable({ hash(kind, UnsafeRawBufferPointer($0)) }) {
            return hash
        }
        var key = key
        return key.withUTF8 { hash(kind, UnsafeRawBufferPointer($0)) }
    }

    /// The hash of a trace id (the trace-id index's key).
    package static func hash(_ traceID: TraceID) -> UInt64 {
        finalize(traceID.high &* 0x9E37_79B9_7F4A_7C15 ^ traceID.low ^ UInt64(IndexKind.traceID.rawValue))
    }

    /// The finaliser of MurmurHash3: spreads every input bit over all 64 output bits.
    static func finalize(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
