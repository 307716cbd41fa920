public import TraceLogStorage

extension DamagedRegion {
    /// `{"segment","offset","length","first_seq","end_seq","reason"}`; the seqs are `null` when unknown, and
    /// `end_seq` is one past the last seq in doubt.
    public var json: JSONValue {
        .object([
            ("segment", .string(segment)),
            ("offset", .int(offset)),
            ("length", .int(length)),
            ("first_seq", seqs.map { .int(Int64(clamping: $0.lowerBound)) } ?? .null),
            ("end_seq", seqs.map { .int(Int64(clamping: $0.upperBound)) } ?? .null),
            ("reason", .string(reason)),
        ])
    }
}

extension JSONValue {
    /// This object with a `"damage": [...]` member appended when `damage` is not empty (the JSON shapes of a
    /// query answered with ``DamagePolicy/allow``); anything else unchanged.
    public func adding(damage: [DamagedRegion]) -> JSONValue {
        guard !damage.isEmpty, case .object(var members) = self else { return self }
        members.append(("damage", .array(damage.map(\.json))))
        return .object(members)
    }
}
