/// The id of one generated entity, kept as two words and spelled out only when a line is written.
///
/// Ids are plain values (no `String`), so planning a scenario does not allocate per id.
struct EntityID: Equatable {
    /// How the id is spelled in a line.
    enum Style: UInt8 {
        /// 24 lowercase hex digits, like StackStorm's MongoDB ObjectIds (`high` holds 32 bits, `low` 64).
        case objectID
        /// A dashed UUID version 4, like Celery task ids and Selinon dispatcher ids.
        case uuid
        /// 12 lowercase hex digits, like a short `uuid4().hex` Stroma run id (only `high` is used).
        case runID
        /// A Stroma node execution: `<run id>.<node name>`, with the node in `detail`.
        case stromaNode
    }

    var high: UInt64
    var low: UInt64
    var style: Style
    /// Style-specific detail: the `StromaVocabulary.nodes` index for `.stromaNode`, otherwise 0.
    var detail: UInt8 = 0

    /// The execution id of one node of a Stroma run (`<run id>.<node>`).
    func stromaNode(_ node: Int) -> EntityID {
        EntityID(high: high, low: low, style: .stromaNode, detail: UInt8(node))
    }
}

/// Makes entity ids: ObjectIds and run ids that are unique by construction, UUIDs from the seeded
/// generator (122 random bits: collisions are out of reach).
struct IDFactory {
    /// The 40-bit "process" part of every ObjectId of this generator.
    private let processUnique: UInt64
    private var counter: UInt64
    /// The 48-bit key and the counter behind run ids.
    private let runKey: UInt64
    private var runCounter: UInt64 = 0

    init(random: inout WorkloadRandom) {
        processUnique = random.next() & 0xFF_FFFF_FFFF
        counter = random.next() & 0xFF_FFFF
        runKey = random.next() & 0xFFFF_FFFF_FFFF
    }

    /// A new ObjectId for a virtual time in seconds: 32-bit timestamp, 40-bit process part,
    /// 24-bit counter. Unique while fewer than 2^24 ids are made within one virtual second.
    mutating func objectID(seconds: Int64) -> EntityID {
        counter = (counter &+ 1) & 0xFF_FFFF
        return EntityID(
            high: UInt64(truncatingIfNeeded: seconds) & 0xFFFF_FFFF,
            low: processUnique << 24 | counter,
            style: .objectID
        )
    }

    /// A new random UUID version 4 (variant 1), spelled with dashes.
    func uuid(random: inout WorkloadRandom) -> EntityID {
        let high = (random.next() & ~0xF000) | 0x4000
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return EntityID(high: high, low: low, style: .uuid)
    }

    /// A new 12-hex-digit run id that looks random but is unique by construction: a counter put
    /// through a keyed bijection of the 48-bit space (odd multiplications, xor-shifts, a xor).
    mutating func runID() -> EntityID {
        let mask: UInt64 = 0xFFFF_FFFF_FFFF
        runCounter &+= 1
        var value = runCounter & mask
        value = (value &* 0x9E37_79B9_7F4B) & mask
        value ^= value >> 21
        value = (value &* 0xD6E8_FEB8_6659) & mask
        value ^= value >> 24
        return EntityID(high: value ^ runKey, low: 0, style: .runID)
    }
}

extension LineBuffer {
    /// Appends the id's text, without quotes.
    func appendID(_ id: EntityID) {
        switch id.style {
        case .objectID:
            appendHex(id.high, digits: 8)
            appendHex(id.low, digits: 16)
        case .uuid:
            appendHex(id.high >> 32, digits: 8)
            append(byte: UInt8(ascii: "-"))
            appendHex(id.high >> 16, digits: 4)
            append(byte: UInt8(ascii: "-"))
            appendHex(id.high, digits: 4)
            append(byte: UInt8(ascii: "-"))
            appendHex(id.low >> 48, digits: 4)
            append(byte: UInt8(ascii: "-"))
            appendHex(id.low, digits: 12)
        case .runID:
            appendHex(id.high, digits: 12)
        case .stromaNode:
            appendHex(id.high, digits: 12)
            append(byte: UInt8(ascii: "."))
            append(StromaVocabulary.nodes[Int(id.detail)])
        }
    }
}
