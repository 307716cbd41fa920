#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A binary fuse filter with 8-bit fingerprints (Graf and Lemire, "Binary Fuse Filters: Fast and Smaller Than
/// Xor Filters", 2022): a static set of 64-bit keys that answers "maybe present" or "certainly absent".
///
/// Each key maps to three cells inside a window of three consecutive segments of the fingerprint array; the
/// key is (maybe) present when its fingerprint equals the XOR of the three cells. Cost: about 1.125 bytes per
/// key plus up to three segments of padding; a false-positive rate of 2⁻⁸ (0.39%) for absent keys and no false
/// negatives; a query reads three bytes that lie within `3 × segmentLength` bytes of each other, so a cold query
/// is one read of that window. Building costs O(keys) time and about 21 bytes of scratch memory per array cell.
///
/// The parameters are those the paper gives for arity 3. Construction is deterministic: seeds come from a fixed
/// sequence, so the same key set always gives the same bytes.
struct BinaryFuseFilter: Equatable, Sendable {
    /// What a query needs besides the fingerprints.
    struct Parameters: Equatable, Sendable {
        var seed: UInt64 = 0
        /// A power of two, at most 2¹⁸.
        var segmentLength = 0
        var segmentCount = 0

        /// Fingerprint bytes: `(segmentCount + 2) × segmentLength`.
        var arrayLength: Int { (segmentCount + 2) * segmentLength }

        /// The three cells of a key's hash (distinct segments, so never equal).
        @inline(__always)
        func cells(_ hash: UInt64) -> (Int, Int, Int) {
            let range = UInt64(segmentCount * segmentLength)
            let first = Int(truncatingIfNeeded: hash.multipliedFullWidth(by: range).high)
            let mask = segmentLength - 1
            let second = (first + segmentLength) ^ (Int(truncatingIfNeeded: hash >> 18) & mask)
            let third = (first + 2 * segmentLength) ^ (Int(truncatingIfNeeded: hash) & mask)
            return (first, second, third)
        }

        /// The fingerprint array range a query of `key` reads (for prefetching).
        func window(_ key: UInt64) -> Range<Int> {
            guard segmentCount > 0 else { return 0..<0 }
            let (first, _, _) = cells(BinaryFuseFilter.hash(key, seed: seed))
            let start = first & ~(segmentLength - 1)
            return start..<start + 3 * segmentLength
        }
    }

    var parameters: Parameters
    var fingerprints: [UInt8]

    /// Keys per cell are counted in 6 bits (the low 2 bits hold which of a key's cells a cell is): more than 62
    /// keys on one cell makes a build attempt fail, like a failed peel, and the build retries with another seed.
    private static let maximumRetries = 1000

    static func hash(_ key: UInt64, seed: UInt64) -> UInt64 {
        var hash = key &+ seed
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    @inline(__always)
    static func fingerprint(_ hash: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: hash ^ (hash >> 32)) }

    /// The parameters for `count` keys, with `extra` added to the paper's size factor (raised after repeated
    /// failures, which the paper's factor makes vanishingly rare).
    static func parameters(count: Int, extra: Double = 0) -> Parameters {
        guard count > 0 else { return Parameters() }
        let size = Double(count)
        let exponent = count == 1 ? 2 : Int((log(size) / log(3.33) + 2.25).rounded(.down))
        let segmentLength = 1 << min(max(exponent, 2), 18)
        let factor = count <= 1 ? 1 : max(1.125, 0.875 + 0.25 * log(1_000_000) / log(size))
        let capacity = Int((size * (factor + extra)).rounded())
        let segmentCount = max(1, (capacity + segmentLength - 1) / segmentLength - 2)
        return Parameters(segmentLength: segmentLength, segmentCount: segmentCount)
    }

    /// Builds the filter of `keys` (duplicates allowed; they are removed).
    init(keys: [UInt64]) {
        var unique = keys
        unique.sort()
        var write = 0
        for index in unique.indices where index == 0 || unique[index] != unique[index - 1] {
            unique[write] = unique[index]
            write += 1
        }
        unique.removeLast(unique.count - write)
        var seedState: UInt64 = 0x5452_4143_454c_4f47  // "TRACELOG"
        var attempt = 0
        while true {
            // splitmix64 step: a fixed sequence of seeds, so a key set always gives the same filter.
            seedState &+= 0x9E37_79B9_7F4A_7C15
            var seed = seedState
            seed = (seed ^ (seed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            seed = (seed ^ (seed >> 27)) &* 0x94D0_49BB_1331_11EB
            seed ^= seed >> 31
            var parameters = Self.parameters(count: unique.count, extra: Double(attempt / 10) * 0.1)
            parameters.seed = seed
            if let fingerprints = Self.build(unique, parameters) {
                self.parameters = parameters
                self.fingerprints = fingerprints
                return
            }
            attempt += 1
            precondition(attempt < Self.maximumRetries, "binary fuse filter construction kept failing")
        }
    }

    init(parameters: Parameters, fingerprints: [UInt8]) {
        self.parameters = parameters
        self.fingerprints = fingerprints
    }

    /// One construction attempt: nil when the keys cannot all be peeled with this seed.
    private static func build(_ keys: [UInt64], _ parameters: Parameters) -> [UInt8]? {
        let length = parameters.arrayLength
        guard !keys.isEmpty else { return [] }
        // Per cell: (keys on it) << 2 | XOR of which cell of each key it is; XOR of the keys' hashes.
        var counts = [UInt8](repeating: 0, count: length)
        var hashes = [UInt64](repeating: 0, count: length)
        for key in keys {
            let hash = Self.hash(key, seed: parameters.seed)
            let (first, second, third) = parameters.cells(hash)
            guard counts[first] < 252, counts[second] < 252, counts[third] < 252 else { return nil }
            counts[first] = (counts[first] &+ 4) ^ 0
            counts[second] = (counts[second] &+ 4) ^ 1
            counts[third] = (counts[third] &+ 4) ^ 2
            hashes[first] ^= hash
            hashes[second] ^= hash
            hashes[third] ^= hash
        }
        // Peel cells that hold one key, in a stack; record each key's hash and which of its cells freed it.
        var alone: [Int32] = []
        alone.reserveCapacity(length)
        for cell in 0..<length where counts[cell] >> 2 == 1 { alone.append(Int32(cell)) }
        var order: [UInt64] = []
        order.reserveCapacity(keys.count)
        var found: [UInt8] = []
        found.reserveCapacity(keys.count)
        while let cell = alone.popLast().map(Int.init) {
            guard counts[cell] >> 2 == 1 else { continue }
            let hash = hashes[cell]
            let position = counts[cell] & 3
            order.append(hash)
            found.append(position)
            let (first, second, third) = parameters.cells(hash)
            func remove(_ other: UInt8, _ otherCell: Int) {
                guard other != position else { return }
                counts[otherCell] = (counts[otherCell] &- 4) ^ other
                hashes[otherCell] ^= hash
                if counts[otherCell] >> 2 == 1 { alone.append(Int32(otherCell)) }
            }
            remove(0, first)
            remove(1, second)
            remove(2, third)
            counts[cell] = 0
        }
        guard order.count == keys.count else { return nil }
        var fingerprints = [UInt8](repeating: 0, count: length)
        for index in order.indices.reversed() {
            let hash = order[index]
            let (first, second, third) = parameters.cells(hash)
            let target = found[index] == 0 ? first : found[index] == 1 ? second : third
            fingerprints[target] = 0
            fingerprints[target] =
                Self.fingerprint(hash) ^ fingerprints[first] ^ fingerprints[second] ^ fingerprints[third]
        }
        return fingerprints
    }

    /// Whether `key` may be in the set (false: it certainly is not).
    func mayContain(_ key: UInt64) -> Bool {
        fingerprints.withUnsafeBytes { Self.mayContain(key, parameters, fingerprints: $0) }
    }

    /// The query on fingerprint bytes in place (a mapped index file); the caller checked that `fingerprints`
    /// holds ``Parameters/arrayLength`` bytes.
    @inline(__always)
    static func mayContain(_ key: UInt64, _ parameters: Parameters, fingerprints: UnsafeRawBufferPointer) -> Bool {
        guard parameters.segmentCount > 0 else { return false }
        let hash = hash(key, seed: parameters.seed)
        let (first, second, third) = parameters.cells(hash)
        return fingerprint(hash) ^ fingerprints[first] ^ fingerprints[second] ^ fingerprints[third] == 0
    }
}
