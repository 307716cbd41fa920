/// How a node's durations compare.
public enum DurationVerdict: String, Hashable, Sendable {
    /// Significantly slower by at least the minimum effect.
    case slower
    /// Significantly faster by at least the minimum effect.
    case faster
    /// The whole confidence interval of the ratio lies within 1 ± the minimum effect.
    case same
    /// Neither: more runs are needed to tell.
    case unknown
}

/// How a node's failure rate compares.
public enum FailureVerdict: String, Hashable, Sendable {
    /// Significantly more failures, by at least the minimum effect (absolute).
    case worse
    /// Significantly fewer failures, by at least the minimum effect.
    case better
    /// The whole confidence interval of the difference lies within ± the minimum effect.
    case same
    /// Neither: more runs are needed to tell.
    case unknown
}

/// Whether a node was in both sets.
public enum NodeStatus: String, Hashable, Sendable {
    /// In both sets.
    case compared
    /// Only in the candidate set.
    case added
    /// Only in the baseline set.
    case removed
}

/// The asv-style mark of a row.
public enum ComparisonMark: String, Hashable, Sendable {
    /// `+`: slower or worse (a regression).
    case worse = "+"
    /// `!`: newly failing — no failure in the baseline, some in the candidate — without being significant.
    case newlyFailing = "!"
    /// `-`: faster or better.
    case better = "-"
    /// `~`: past the minimum effect but not significant.
    case notSignificant = "~"
    /// Nothing to note.
    case none = " "
}

/// The duration part of a node's comparison.
public struct DurationComparison: Hashable, Sendable {
    /// The median of the baseline's per-run durations (ms); nil when no baseline run has a duration.
    public var baselineP50: Double?
    /// The median of the candidate's per-run durations (ms); nil when no candidate run has a duration.
    public var candidateP50: Double?
    /// candidate p50 ÷ baseline p50 (0/0 = 1, x/0 = +∞).
    public var ratio: Double?
    /// The lower end of the bootstrap 95% interval of the ratio.
    public var ciLow: Double?
    /// The upper end of the bootstrap 95% interval of the ratio (may be +∞ when a baseline median can be 0).
    public var ciHigh: Double?
    /// The Holm-corrected Mann–Whitney p-value (the one the verdict uses); nil without samples on both sides.
    public var pValue: Double?
    /// The uncorrected p-value.
    public var rawPValue: Double?
    /// The verdict.
    public var verdict: DurationVerdict
}

/// The failure-rate part of a node's comparison.
public struct FailureRateComparison: Hashable, Sendable {
    /// Baseline runs where the node's last attempt failed.
    public var baselineFailures: Int
    /// Baseline runs where the node ran.
    public var baselineRuns: Int
    /// Candidate runs where the node's last attempt failed.
    public var candidateFailures: Int
    /// Candidate runs where the node ran.
    public var candidateRuns: Int
    /// The lower end of Newcombe's 95% interval of the difference of rates (candidate − baseline).
    public var ciLow: Double
    /// The upper end of that interval.
    public var ciHigh: Double
    /// The Holm-corrected Fisher exact p-value (1 when no other outcome was possible).
    public var pValue: Double
    /// The uncorrected p-value.
    public var rawPValue: Double
    /// The verdict.
    public var verdict: FailureVerdict

    /// The baseline failure rate.
    public var baseline: Double { Double(baselineFailures) / Double(baselineRuns) }
    /// The candidate failure rate.
    public var candidate: Double { Double(candidateFailures) / Double(candidateRuns) }
    /// candidate − baseline.
    public var delta: Double { candidate - baseline }
}

/// One node of a comparison.
public struct NodeComparison: Hashable, Sendable {
    /// The node (action) name.
    public var node: String
    /// Whether it ran in both sets.
    public var status: NodeStatus
    /// Durations; nil for added and removed nodes.
    public var duration: DurationComparison?
    /// Failure rates; nil for added and removed nodes.
    public var failureRate: FailureRateComparison?
    /// Mean retries per baseline run where the node ran; nil when it never ran there.
    public var baselineRetriesMean: Double?
    /// Mean retries per candidate run where the node ran; nil when it never ran there.
    public var candidateRetriesMean: Double?
    /// The mark of its row.
    public var mark: ComparisonMark
    /// The baseline's per-run durations (ms, runs that recorded one), in run order: the charts' data.
    public var baselineDurations: [Double]
    /// The candidate's per-run durations, likewise.
    public var candidateDurations: [Double]

    /// Whether the node regressed: slower, or a worse failure rate.
    public var isRegression: Bool { duration?.verdict == .slower || failureRate?.verdict == .worse }
}
