public import TraceLogStorage

/// What a query does when damaged data may hide part of its answer (see ``LogReader/damage()``).
///
/// Damage is never silent: the default fails the query with ``LogError/damaged(_:)``, naming each damaged
/// segment, offset and the sequence numbers it puts in doubt; ``allow`` answers with what is readable and lists
/// the damage in the answer, for the caller to show as a warning.
public enum DamagePolicy: Hashable, Sendable {
    /// Throw ``LogError/damaged(_:)`` when known damage may hide records the answer needs.
    case fail
    /// Answer with the readable records and report the damage in ``Answer/damage``.
    case allow
}

/// An answer and the damage that may hide part of it.
public struct Answer<Value: Sendable>: Sendable {
    /// The answer from the readable records.
    public var value: Value
    /// The damaged regions that may hide records the answer needs, oldest first, each once; empty when the answer
    /// is complete.
    public var damage: [DamagedRegion]

    /// Creates an answer.
    public init(value: Value, damage: [DamagedRegion]) {
        self.value = value
        self.damage = damage
    }

    /// One warning line per damaged region, for a command to print as it is (`tracelog` prints them on stderr).
    public var warnings: [String] { damage.map(\.warning) }
}

extension DamagedRegion {
    /// `warning: the answer may be incomplete: damaged data in <segment> at offset <n> (...): <reason>`.
    public var warning: String { "warning: the answer may be incomplete: damaged data in \(self)" }
}

extension DamagePolicy {
    /// Applies the policy: throws ``LogError/damaged(_:)`` for ``fail`` when `damage` is not empty, else returns
    /// the answer with the damage deduplicated (one entry per segment and offset, the most precise one kept).
    func answer<Value: Sendable>(_ value: Value, damage: [DamagedRegion]) throws(LogError) -> Answer<Value> {
        if damage.isEmpty { return Answer(value: value, damage: []) }
        var unique: [DamagedRegion] = []
        for region in damage {
            if let index = unique.firstIndex(where: { $0.segment == region.segment && $0.offset == region.offset }) {
                // A region a lookup ran into (length 0, one seq) is less precise than the one the reader knows.
                if unique[index].length == 0 && region.length > 0 { unique[index] = region }
            } else {
                unique.append(region)
            }
        }
        unique.sort { ($0.segment, $0.offset) < ($1.segment, $1.offset) }
        if self == .fail { throw .damaged(unique) }
        return Answer(value: value, damage: unique)
    }
}
