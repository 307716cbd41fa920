/// `tracelog compare`: per node, whether a candidate run set is slower or fails more often than a baseline, and
/// whether that is real or noise (SPEC §9).
///
/// **Durations.** Mann–Whitney U (``MannWhitneyU``, two-sided; exact for small samples without ties), Holm
/// correction across the compared nodes (``HolmBonferroni``), and the ratio of medians, candidate ÷ baseline,
/// with a seeded bootstrap 95% interval (``MedianRatioBootstrap``). `slower`/`faster` when the corrected
/// p < alpha and |ratio − 1| ≥ min effect; `same` when the interval lies within 1 ± min effect; else `unknown`.
///
/// **Failure rates.** Fisher's exact test (``FisherExact``) with the same correction, and Newcombe's 95%
/// interval of the difference of rates (``ProportionInterval``): `worse`/`better` when the corrected p < alpha
/// and |difference| ≥ min effect (absolute: 0.05 is 5 percentage points); `same` when the interval lies within
/// ± min effect; else `unknown`.
///
/// **Families.** A test that could not have rejected — every duration equal, or margins that allow one table
/// (no failure in either set, or only failures) — has p = 1 and is left out of its family, as in Tarone's
/// modified Bonferroni for discrete data, so that nodes that never fail do not dilute the test of one that does.
///
/// Cost: O(R · N) to gather R runs of N nodes, O(R log R) per node for the ranks, and O(B log B) per node for B
/// bootstrap replicates (each replicate is O(1), see ``MedianRatioBootstrap``).
public struct RunSetComparison: Sendable {
    /// A run set's selector and size.
    public struct SetSummary: Hashable, Sendable {
        /// The selector, as parsed.
        public var selector: String
        /// How many runs it selected.
        public var runs: Int
    }

    /// The baseline set.
    public var baseline: SetSummary
    /// The candidate set.
    public var candidate: SetSummary
    /// The options used.
    public var options: ComparisonOptions
    /// Every node, worst first (regressions, newly failing, past the effect but not significant, added,
    /// removed, the rest, improvements), then by duration ratio and failure-rate difference, then by name.
    public var nodes: [NodeComparison]
    /// Warnings for the reader (small sets).
    public var warnings: [String]

    /// Nodes that are `slower` or `worse`: the exit status of `tracelog compare` is 1 when this is not 0.
    public var regressions: Int { nodes.count(where: \.isRegression) }

    /// Compares two run sets.
    public init(baseline: RunSet, candidate: RunSet, options: ComparisonOptions = ComparisonOptions()) {
        self.baseline = SetSummary(selector: baseline.selector, runs: baseline.runs.count)
        self.candidate = SetSummary(selector: candidate.selector, runs: candidate.runs.count)
        self.options = options
        warnings = [("baseline", baseline), ("candidate", candidate)].compactMap { name, set in
            set.runs.count < ComparisonOptions.smallSetRuns
                ? "the \(name) has \(set.runs.count) run\(set.runs.count == 1 ? "" : "s") (fewer than "
                    + "\(ComparisonOptions.smallSetRuns)): its verdicts will nearly always be unknown"
                : nil
        }
        let baselineNodes = Self.samples(baseline)
        let candidateNodes = Self.samples(candidate)
        let names = Set(baselineNodes.keys).union(candidateNodes.keys).sorted()
        var partial = names.map { name in
            Partial(name: name, baseline: baselineNodes[name] ?? [], candidate: candidateNodes[name] ?? [])
        }
        for index in partial.indices { partial[index].test(options) }
        let durationP = HolmBonferroni.adjust(partial.map(\.durationFamilyP))
        let failureP = HolmBonferroni.adjust(partial.map(\.failureFamilyP))
        nodes = partial.indices.map { partial[$0].finish(durationP[$0], failureP[$0], options) }
        nodes.sort { Self.order($0, options) < Self.order($1, options) }
    }

    /// Each node's samples in a set, in run order.
    static func samples(_ set: RunSet) -> [String: [NodeRunSample]] {
        var samples: [String: [NodeRunSample]] = [:]
        for run in set.runs {
            for (name, sample) in run.nodes { samples[name, default: []].append(sample) }
        }
        return samples
    }

    /// The sort key of "worst first".
    static func order(_ node: NodeComparison, _ options: ComparisonOptions) -> OrderKey {
        let ratio = node.duration?.ratio ?? 1
        let delta = node.failureRate?.delta ?? 0
        let rank: Int
        switch (node.status, node.mark) {
        case (_, .worse): rank = 0
        case (_, .newlyFailing): rank = 1
        case (_, .notSignificant) where ratio > 1 || delta > 0: rank = 2
        case (.added, _): rank = 3
        case (.removed, _): rank = 4
        case (_, .better): rank = 6
        default: rank = 5
        }
        return OrderKey(rank: rank, ratio: ratio.isNaN ? 1 : ratio, delta: delta, name: node.node)
    }

    struct OrderKey: Comparable {
        var rank: Int
        var ratio: Double
        var delta: Double
        var name: String

        static func < (lhs: OrderKey, rhs: OrderKey) -> Bool {
            if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
            if lhs.ratio != rhs.ratio { return lhs.ratio > rhs.ratio }
            if lhs.delta != rhs.delta { return lhs.delta > rhs.delta }
            return lhs.name < rhs.name
        }
    }
}
