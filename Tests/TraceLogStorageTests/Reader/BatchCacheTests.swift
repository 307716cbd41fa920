import Testing

@testable import TraceLogStorage

/// The batch cache keeps the most recently used batches: a hit returns the payload put under that key, the least
/// recently used entry is the one evicted when it is full, and putting a key again replaces its payload.
@Suite struct BatchCacheTests {
    /// Distinct one-batch payloads, told apart by their base sequence number.
    private static func payload(_ baseSeq: UInt64) throws -> BatchPayload {
        var builder = BatchBuilder(targetBytes: 1 << 20)
        for record in SampleRecords.numbered(3) { builder.add(record) }
        let (header, stored) = builder.seal(baseSeq: baseSeq) { header, framed in
            (header, Array(framed[BatchHeader.size...]))
        }
        return try stored.withUnsafeBytes { try BatchPayload.decode(header: header, stored: $0).get() }
    }

    private static func key(_ number: Int) -> BatchCacheKey {
        BatchCacheKey(segmentBase: UInt64(number % 3), offset: Int64(number))
    }

    @Test func aHitIsThePayloadPutUnderItsKey() throws {
        let cache = BatchCache(capacity: 8)
        for number in 0..<8 { cache.put(Self.key(number), try Self.payload(UInt64(number * 100))) }
        for number in (0..<8).reversed() {
            #expect(cache.get(Self.key(number))?.header.baseSeq == UInt64(number * 100))
        }
        #expect(cache.get(BatchCacheKey(segmentBase: 1, offset: 0)) == nil)  // same offset, other segment
        #expect(cache.get(Self.key(8)) == nil)
    }

    @Test func theLeastRecentlyUsedEntryIsEvicted() throws {
        let cache = BatchCache(capacity: 4)
        for number in 0..<4 { cache.put(Self.key(number), try Self.payload(UInt64(number))) }
        // Use 0 and 2 again: 1 is now the least recently used, then 3.
        _ = cache.get(Self.key(0))
        _ = cache.get(Self.key(2))
        cache.put(Self.key(4), try Self.payload(4))
        #expect(cache.get(Self.key(1)) == nil)
        #expect(cache.get(Self.key(3)) != nil)  // now the most recently used
        cache.put(Self.key(5), try Self.payload(5))
        #expect(cache.get(Self.key(0)) == nil)
        for number in [2, 3, 4, 5] { #expect(cache.get(Self.key(number))?.header.baseSeq == UInt64(number)) }
    }

    @Test func puttingAKeyAgainReplacesItsPayloadWithoutEvicting() throws {
        let cache = BatchCache(capacity: 2)
        cache.put(Self.key(0), try Self.payload(10))
        cache.put(Self.key(1), try Self.payload(11))
        cache.put(Self.key(0), try Self.payload(20))
        #expect(cache.get(Self.key(0))?.header.baseSeq == 20)
        #expect(cache.get(Self.key(1))?.header.baseSeq == 11)
    }
}
