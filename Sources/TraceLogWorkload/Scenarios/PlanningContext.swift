/// The state every scenario planner shares: the seeded generator, id factory, virtual time,
/// persistent StackStorm rules and the executions that are finished and may be re-run.
struct PlanningContext {
    var random: WorkloadRandom
    var ids: IDFactory
    /// The virtual clock, in microseconds since the Unix epoch; advanced by the generator per line.
    var nowMicroseconds: Int64
    /// One persistent id per `StackStormRule`, the same in every trace.
    let ruleIDs: [EntityID]
    /// Recently completed, fully emitted executions (a ring), for user re-runs.
    private(set) var completedExecutions: [RerunCandidate] = []
    private var nextCompletedSlot = 0
    /// A counter for tags that must look unique (`sensu-event-1042`).
    var tagSerial = 1000

    private static let completedCapacity = 64

    init(seed: UInt64, startMicroseconds: Int64) {
        random = WorkloadRandom(seed: seed)
        ids = IDFactory(random: &random)
        nowMicroseconds = startMicroseconds
        var rules: [EntityID] = []
        let seconds = startMicroseconds / 1_000_000 - 86_400 * 90  // rules were created months ago
        for index in StackStormRule.allCases.indices {
            rules.append(ids.objectID(seconds: seconds + Int64(index) * 3_600))
        }
        ruleIDs = rules
    }

    /// A new StackStorm-style ObjectId stamped with the current virtual second.
    mutating func objectID() -> EntityID {
        ids.objectID(seconds: nowMicroseconds / 1_000_000)
    }

    /// A new random UUID version 4.
    mutating func uuid() -> EntityID {
        ids.uuid(random: &random)
    }

    /// A new unique 12-hex-digit run id.
    mutating func runID() -> EntityID {
        ids.runID()
    }

    /// Remembers executions whose lines have all been emitted, so later re-runs may point at them.
    mutating func remember(completed executions: [RerunCandidate]) {
        for execution in executions {
            if completedExecutions.count < Self.completedCapacity {
                completedExecutions.append(execution)
            } else {
                completedExecutions[nextCompletedSlot] = execution
                nextCompletedSlot = (nextCompletedSlot + 1) % Self.completedCapacity
            }
        }
    }

    /// Random thousandths of a millisecond in `minimum...maximum` ms, often whole, sometimes fractional.
    mutating func duration(minimumMilliseconds minimum: Int, maximumMilliseconds maximum: Int) -> Int {
        let milliseconds = random.between(minimum, maximum)
        switch random.below(8) {
        case 0: return milliseconds * 1000 + random.below(10) * 100
        case 1: return milliseconds * 1000 + random.below(1000)
        default: return milliseconds * 1000
        }
    }
}

/// A finished top-level StackStorm execution that a user may re-run later.
struct RerunCandidate {
    var id: EntityID
    var action: StackStormAction
}

/// Stroma's failure classes, used by every execution that fails.
enum FailureClass {
    case recoverable, terminal, ambiguous

    var name: StaticString {
        switch self {
        case .recoverable: "RECOVERABLE"
        case .terminal: "TERMINAL"
        case .ambiguous: "AMBIGUOUS"
        }
    }
}

/// The text of a `trace.tag`, spelled out when the line is written.
enum TraceTagText {
    case none
    case fixed(StaticString)
    case hex(prefix: StaticString, value: UInt64, digits: Int)
    case number(prefix: StaticString, value: Int)
    case name(prefix: StaticString, name: StaticString)
    case id(prefix: StaticString, id: EntityID)
}

extension ScenarioScript {
    /// `"trace":{"tag":"…"}`, or nothing for `.none`.
    mutating func traceTag(_ tag: TraceTagText) {
        switch tag {
        case .none:
            return
        case .fixed(let text):
            beginTraceTag()
            self.text.append(text)
        case .hex(let prefix, let value, let digits):
            beginTraceTag()
            self.text.append(prefix)
            self.text.appendHex(value, digits: digits)
        case .number(let prefix, let value):
            beginTraceTag()
            self.text.append(prefix)
            self.text.appendDecimal(value)
        case .name(let prefix, let name):
            beginTraceTag()
            self.text.append(prefix)
            self.text.append(name)
        case .id(let prefix, let id):
            beginTraceTag()
            self.text.append(prefix)
            self.text.appendID(id)
        }
        endTraceTag()
    }
}
