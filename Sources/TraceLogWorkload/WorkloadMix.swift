/// The three kinds of traffic the generator interleaves.
public enum WorkloadKind: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// StackStorm-style traces: trigger instances, rule enforcements, executions, action triggers.
    case stackstorm
    /// Stroma-style pipeline runs: node attempts with failure classes.
    case stroma
    /// Selinon-style flows: dispatcher and task executions with Selinon trace events.
    case selinon

    /// The name used by `--mix` (`stackstorm`, `stroma`, `selinon`).
    public var description: String {
        switch self {
        case .stackstorm: "stackstorm"
        case .stroma: "stroma"
        case .selinon: "selinon"
        }
    }
}

/// Relative weights of the three kinds of traffic, as shares of emitted lines.
///
/// A weight of 0 turns a kind off; at least one weight must be positive. The generator picks the
/// kind of every line with these weights, so the line shares converge to `weight / total`.
public struct WorkloadMix: Sendable, Hashable, CustomStringConvertible {
    /// Weight of StackStorm-style traces.
    public var stackstorm: Int
    /// Weight of Stroma-style runs.
    public var stroma: Int
    /// Weight of Selinon-style flows.
    public var selinon: Int

    /// The default: all three kinds, StackStorm (TraceLog's primary model) ahead (5 : 3 : 2).
    public static let mixed = WorkloadMix(stackstorm: 5, stroma: 3, selinon: 2)

    /// A mix with the given non-negative weights.
    public init(stackstorm: Int = 0, stroma: Int = 0, selinon: Int = 0) {
        self.stackstorm = stackstorm
        self.stroma = stroma
        self.selinon = selinon
    }

    /// Parses `stackstorm=W,stroma=W,selinon=W`; kinds left out get weight 0.
    ///
    /// - Throws: `WorkloadMixError` naming the offending part.
    public init(parsing text: String) throws(WorkloadMixError) {
        self.init()
        var seen: Set<WorkloadKind> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw .malformedPart(String(part)) }
            let name = pieces[0].trimmingSpaces
            guard let kind = WorkloadKind.allCases.first(where: { $0.description == name }) else {
                throw .unknownKind(name)
            }
            guard let weight = Int(pieces[1].trimmingSpaces), weight >= 0 else {
                throw .invalidWeight(kind: kind.description, text: String(pieces[1]))
            }
            guard seen.insert(kind).inserted else { throw .duplicateKind(kind.description) }
            self[kind] = weight
        }
        guard total > 0 else { throw .noPositiveWeight }
    }

    /// The weight of one kind.
    public subscript(kind: WorkloadKind) -> Int {
        get {
            switch kind {
            case .stackstorm: stackstorm
            case .stroma: stroma
            case .selinon: selinon
            }
        }
        set {
            switch kind {
            case .stackstorm: stackstorm = newValue
            case .stroma: stroma = newValue
            case .selinon: selinon = newValue
            }
        }
    }

    /// The sum of the weights.
    public var total: Int { stackstorm + stroma + selinon }

    /// `stackstorm=4,stroma=3,selinon=3`: the form `init(parsing:)` reads.
    public var description: String {
        WorkloadKind.allCases.map { "\($0)=\(self[$0])" }.joined(separator: ",")
    }
}

/// Why a `--mix` value could not be read.
public enum WorkloadMixError: Error, Equatable, CustomStringConvertible {
    /// A part is not `kind=weight`.
    case malformedPart(String)
    /// The kind is not `stackstorm`, `stroma` or `selinon`.
    case unknownKind(String)
    /// The weight is not a non-negative integer.
    case invalidWeight(kind: String, text: String)
    /// The same kind is given twice.
    case duplicateKind(String)
    /// Every weight is 0.
    case noPositiveWeight

    /// A one-line explanation naming the offending part.
    public var description: String {
        switch self {
        case .malformedPart(let part): "mix part '\(part)' is not kind=weight"
        case .unknownKind(let kind): "unknown traffic kind '\(kind)' (expected stackstorm, stroma or selinon)"
        case .invalidWeight(let kind, let text): "weight '\(text)' of \(kind) is not a non-negative integer"
        case .duplicateKind(let kind): "traffic kind \(kind) is given twice"
        case .noPositiveWeight: "at least one traffic kind needs a positive weight"
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
