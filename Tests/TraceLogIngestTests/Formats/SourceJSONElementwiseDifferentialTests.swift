import Testing

@testable import TraceLogIngest

/// Parsing element by element (at any build depth) against the whole parse, on seeded random documents, most of
/// them damaged: the same error at the same offset, or the same elements with the same ranges.
@Suite struct SourceJSONElementwiseDifferentialTests {
    /// SplitMix64: a fixed seed gives the same documents on every machine.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static let atoms = [#""a""#, #""é\n""#, #""\ud834\udd1e""#, "0", "-1.5e3", "true", "null", #""""#]
    static let noise = Array(#"[]{}",:\ a0-"#.utf8) + [0xC3, 0x01]

    func value(_ random: inout Random, depth: Int) -> String {
        switch depth > 4 ? 0 : random.next(4) {
        case 0, 1: return Self.atoms[random.next(Self.atoms.count)]
        case 2:
            return "[" + (0..<random.next(4)).map { _ in value(&random, depth: depth + 1) }.joined(separator: ", ")
                + "]"
        default:
            let members = (0..<random.next(4)).map { index in #""k\#(index)": "# + value(&random, depth: depth + 1) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    func document(_ random: inout Random) -> [UInt8] {
        let top =
            random.next(5) == 0
            ? value(&random, depth: 1)
            : " [" + (0..<random.next(5)).map { _ in value(&random, depth: 2) }.joined(separator: ",\n") + "] "
        var bytes = Array(top.utf8)
        for _ in 0..<random.next(3) where !bytes.isEmpty {
            let at = random.next(bytes.count)
            switch random.next(3) {
            case 0: bytes[at] = Self.noise[random.next(Self.noise.count)]
            case 1: bytes.remove(at: at)
            default: bytes.insert(Self.noise[random.next(Self.noise.count)], at: at)
            }
        }
        return bytes
    }

    @Test func elementwiseParsingAgreesWithTheWholeParse() {
        var random = Random(state: 20_261_204)
        var compared = (valid: 0, invalid: 0)
        for _ in 0..<3000 {
            let bytes = document(&random)
            let whole = Result { () throws(SourceJSONError) in try SourceJSONParser.parse(bytes, maximumDepth: 4) }
            for buildDepth in [1, 2, 3, Int.max] {
                var ranges: [Range<Int>] = []
                let elementwise = Result { () throws(SourceJSONError) in
                    try SourceJSONParser.forEachElement(of: bytes, maximumDepth: 4, buildDepth: buildDepth) {
                        index, element in
                        #expect(index == ranges.count)
                        ranges.append(element.range)
                        return true
                    }
                }
                let text = String(decoding: bytes, as: UTF8.self)
                switch (whole, elementwise) {
                case (_, .success(false)):
                    #expect(ranges.isEmpty)
                    #expect(bytes.first { $0 != 0x20 && $0 != 0x0A } != UInt8(ascii: "["), "\(text)")
                case (.success(let document), .success(true)):
                    guard case .array(let elements) = document.value else {
                        Issue.record("an array elementwise, not whole: \(text)")
                        continue
                    }
                    #expect(elements.map(\.range) == ranges, "\(text)")
                    compared.valid += 1
                case (.failure(let expected), .failure(let found)):
                    #expect(found == expected, "\(text)")
                    compared.invalid += 1
                default:
                    Issue.record("whole \(whole), elementwise \(elementwise): \(text)")
                }
            }
        }
        // Both kinds of document were compared, many times.
        #expect(compared.valid > 1000 && compared.invalid > 1000)
    }
}
