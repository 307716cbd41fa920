import Synchronization

/// A fixed number of bits that any thread tests and sets without a lock; a bit only ever goes from 0 to 1.
///
/// For the memos of mapped files — which blocks passed their checksum, which pages were asked for — that every
/// index lookup consults: a lookup of a new entity probes every sealed segment, and a `Mutex` per probe was
/// several lock round trips per segment on the ingest thread. Safety: the words are allocated and initialized
/// once, here, for the object's lifetime, and only reached through atomic operations (hence
/// `@unchecked Sendable`).
final class AtomicBits: @unchecked Sendable {
    private let wordPointer: UnsafeMutablePointer<Atomic<UInt64>>
    private let wordCount: Int

    /// `count` bits, all clear.
    init(count: Int) {
        wordCount = max(1, (count + 63) / 64)
        wordPointer = .allocate(capacity: wordCount)
        for index in 0..<wordCount { (wordPointer + index).initialize(to: Atomic(0)) }
    }

    deinit {
        wordPointer.deinitialize(count: wordCount)
        wordPointer.deallocate()
    }

    /// Whether bit `index` is set.
    func contains(_ index: Int) -> Bool {
        wordPointer[index >> 6].load(ordering: .acquiring) & Self.mask(index) != 0
    }

    /// Sets bit `index`; returns whether it was clear before (exactly one caller sees true).
    @discardableResult
    func insert(_ index: Int) -> Bool {
        let mask = Self.mask(index)
        return wordPointer[index >> 6].bitwiseOr(mask, ordering: .acquiringAndReleasing).oldValue & mask == 0
    }

    /// The words as they are now, bit `i` being bit `i % 64` of word `i / 64` (for tests and diagnostics).
    var words: [UInt64] { (0..<wordCount).map { wordPointer[$0].load(ordering: .acquiring) } }

    private static func mask(_ index: Int) -> UInt64 { 1 << UInt64(index & 63) }
}
