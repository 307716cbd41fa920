/// Everything that determines a workload: the same configuration always yields the same bytes.
public struct WorkloadConfiguration: Sendable, Hashable {
    /// Seeds the generator's xoshiro256** state; the only source of randomness.
    public var seed: UInt64
    /// Line shares of StackStorm, Stroma and Selinon traffic.
    public var mix: WorkloadMix
    /// Virtual time of the first line, in microseconds since 1970-01-01T00:00:00Z.
    public var startTimeMicroseconds: Int64
    /// Mean gap between two consecutive lines' times, in microseconds (at least 1). Gaps are
    /// uniform in `1...(2 × mean − 1)`, so times strictly increase from line to line.
    public var meanIntervalMicroseconds: Int
    /// How many traces/runs/flows of each kind are in flight at once, their lines interleaved.
    public var concurrentScenariosPerKind: Int

    /// 2026-11-01T00:00:00Z.
    public static let defaultStartTimeMicroseconds = RFC3339Time.microseconds(year: 2026, month: 11, day: 1)

    /// A configuration; only the seed is required.
    ///
    /// - Precondition: `mix.total > 0`, `meanIntervalMicroseconds >= 1`, `concurrentScenariosPerKind >= 1`.
    public init(
        seed: UInt64,
        mix: WorkloadMix = .mixed,
        startTimeMicroseconds: Int64 = Self.defaultStartTimeMicroseconds,
        meanIntervalMicroseconds: Int = 100,
        concurrentScenariosPerKind: Int = 4
    ) {
        precondition(mix.total > 0, "the mix needs at least one positive weight")
        precondition(meanIntervalMicroseconds >= 1, "the mean interval must be at least 1 µs")
        precondition(concurrentScenariosPerKind >= 1, "at least one scenario per kind must run")
        self.seed = seed
        self.mix = mix
        self.startTimeMicroseconds = startTimeMicroseconds
        self.meanIntervalMicroseconds = meanIntervalMicroseconds
        self.concurrentScenariosPerKind = concurrentScenariosPerKind
    }
}

/// Counts of what a generator has emitted so far.
public struct WorkloadStatistics: Sendable, Hashable {
    /// Lines emitted.
    public var lines = 0
    /// Bytes of those lines, not counting newlines.
    public var bytes = 0
    /// Lines per record type: `trigger_instance`.
    public var triggerInstances = 0
    /// Lines per record type: `rule_enforcement`.
    public var ruleEnforcements = 0
    /// Lines per record type: `execution`.
    public var executions = 0
    /// Lines per record type: `flow_event`.
    public var flowEvents = 0
    /// Lines per traffic kind, indexed by `WorkloadKind.rawValue`.
    public var linesByKind = [0, 0, 0]
    /// Traces, runs and flows started, indexed by `WorkloadKind.rawValue` (including ones still in flight).
    public var scenariosByKind = [0, 0, 0]

    /// Empty statistics.
    public init() {}

    mutating func count(_ type: RecordType, kind: WorkloadKind, bytes lineBytes: Int) {
        lines += 1
        bytes += lineBytes
        linesByKind[kind.rawValue] += 1
        switch type {
        case .triggerInstance: triggerInstances += 1
        case .ruleEnforcement: ruleEnforcements += 1
        case .execution: executions += 1
        case .flowEvent: flowEvents += 1
        }
    }
}
