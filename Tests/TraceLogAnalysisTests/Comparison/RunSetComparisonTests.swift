import Foundation
import Testing
import TraceLogAnalysis

@Suite("compare: verdicts, planted effects and the A/A property")
struct RunSetComparisonTests {
    static let pipeline = [
        SyntheticRuns.Node(name: "extract", median: 120),
        SyntheticRuns.Node(name: "transform", median: 340, sigma: 0.15),
        SyntheticRuns.Node(name: "load", median: 80, failureRate: 0.05),
    ]

    /// Whether the upper tail of Binomial(n, p) at `k` is below 1e-6: `k` false positives would be too many.
    static func binomialTailIsTiny(atLeast k: Int, n: Int, p: Double) -> Bool {
        var term = 1.0
        var total = 0.0
        for i in 0...n {
            if i > 0 { term *= Double(n - i + 1) / Double(i) * p / (1 - p) } else { term = pow(1 - p, Double(n)) }
            if i >= k { total += term }
        }
        return total < 1e-6
    }

    @Test("A/A: over 400 seeds, sets from the same distributions flag a node no more often than alpha allows")
    func aaProperty() {
        let options = ComparisonOptions(alpha: 0.05, minEffect: 0, bootstrapResamples: 200)
        var durationFlags = 0
        var failureFlags = 0
        for seed in 0..<400 as Range<UInt64> {
            var runs = SyntheticRuns(seed: seed)
            let baseline = runs.runSet("tag:a", runs: 20, nodes: Self.pipeline)
            let candidate = runs.runSet("tag:b", runs: 20, nodes: Self.pipeline)
            let comparison = RunSetComparison(baseline: baseline, candidate: candidate, options: options)
            if comparison.nodes.contains(where: { [.slower, .faster].contains($0.duration?.verdict) }) {
                durationFlags += 1
            }
            if comparison.nodes.contains(where: { [.worse, .better].contains($0.failureRate?.verdict) }) {
                failureFlags += 1
            }
        }
        // Holm keeps the family-wise error rate of each family at alpha: about 20 of 400 at most on average;
        // 40 or more would have probability < 1e-6 if that held.
        #expect(!Self.binomialTailIsTiny(atLeast: durationFlags, n: 400, p: 0.05), "duration flags: \(durationFlags)")
        #expect(!Self.binomialTailIsTiny(atLeast: failureFlags, n: 400, p: 0.05), "failure flags: \(failureFlags)")
        #expect(durationFlags < 40 && failureFlags < 40)
    }

    @Test("a planted 1.5× slowdown of one node is found, and only that node regresses")
    func plantedSlowdown() throws {
        var runs = SyntheticRuns(seed: 1)
        var slower = Self.pipeline
        slower[1].median *= 1.5
        let comparison = RunSetComparison(
            baseline: runs.runSet("tag:base", runs: 30, nodes: Self.pipeline),
            candidate: runs.runSet("tag:cand", runs: 30, nodes: slower))
        #expect(comparison.regressions == 1)
        let first = try #require(comparison.nodes.first)
        #expect(first.node == "transform", "worst first")
        let duration = try #require(first.duration)
        #expect(duration.verdict == .slower)
        #expect(first.mark == .worse)
        // The estimate of a 1.5× change from 30 runs of ±15% noise: within three standard errors, and the
        // interval excludes 1 by far.
        let (ratio, low, high) = (
            try #require(duration.ratio), try #require(duration.ciLow), try #require(duration.ciHigh)
        )
        #expect(ratio > 1.35 && ratio < 1.65, "ratio \(ratio)")
        #expect(low < ratio && ratio < high && low > 1.2 && high < 1.9, "[\(low), \(high)]")
        #expect(try #require(duration.pValue) < 0.01)
        for node in comparison.nodes where node.node != "transform" {
            #expect(node.duration?.verdict != .slower && node.duration?.verdict != .faster, "\(node.node)")
        }
        #expect(comparison.warnings.isEmpty)
    }

    @Test("a planted failure-rate jump is found as worse")
    func plantedFailureJump() throws {
        var runs = SyntheticRuns(seed: 2)
        var failing = Self.pipeline
        failing[2].failureRate = 0.45
        let comparison = RunSetComparison(
            baseline: runs.runSet("tag:base", runs: 60, nodes: Self.pipeline),
            candidate: runs.runSet("tag:cand", runs: 60, nodes: failing))
        let load = try #require(comparison.nodes.first)
        #expect(load.node == "load")
        let rate = try #require(load.failureRate)
        #expect(rate.verdict == .worse)
        #expect(rate.delta > 0.25)
        #expect(rate.pValue < 0.01)
        #expect(comparison.regressions == 1)
    }

    @Test("three runs against three is unknown, even for a 1.5× slowdown, with a warning")
    func threeAgainstThree() {
        var runs = SyntheticRuns(seed: 3)
        var slower = Self.pipeline
        slower[1].median *= 1.5
        let comparison = RunSetComparison(
            baseline: runs.runSet("tag:base", runs: 3, nodes: Self.pipeline),
            candidate: runs.runSet("tag:cand", runs: 3, nodes: slower))
        for node in comparison.nodes {
            #expect(node.duration?.verdict == .unknown, "\(node.node)")
            #expect(node.failureRate?.verdict == .unknown, "\(node.node)")
        }
        #expect(comparison.regressions == 0)
        #expect(comparison.warnings.count == 2)
        #expect(comparison.nodes.first?.node == "transform")
        #expect(comparison.nodes.first?.mark == .notSignificant, "past the factor, not significant")
    }

    @Test("many runs of one distribution are the same; a faster node is faster")
    func sameAndFaster() throws {
        var runs = SyntheticRuns(seed: 4)
        let tight = [SyntheticRuns.Node(name: "a", median: 50, sigma: 0.02), .init(name: "b", median: 90, sigma: 0.02)]
        var faster = tight
        faster[1].median *= 0.7
        let comparison = RunSetComparison(
            baseline: runs.runSet("tag:base", runs: 200, nodes: tight),
            candidate: runs.runSet("tag:cand", runs: 200, nodes: faster))
        let a = try #require(comparison.nodes.first { $0.node == "a" })
        #expect(a.duration?.verdict == .same)
        #expect(a.failureRate?.verdict == .same, "0/200 against 0/200: the interval is within ±5 points")
        let b = try #require(comparison.nodes.first { $0.node == "b" })
        #expect(b.duration?.verdict == .faster)
        #expect(b.mark == .better)
        #expect(comparison.nodes.last?.node == "b", "improvements last")
        #expect(comparison.regressions == 0)
    }

    @Test("nodes in one set only are added or removed, without duration or failure rate")
    func addedAndRemoved() throws {
        var runs = SyntheticRuns(seed: 5)
        let comparison = RunSetComparison(
            baseline: runs.runSet(
                "tag:base", runs: 10, nodes: [.init(name: "old", median: 5), .init(name: "x", median: 9, sigma: 0.001)]),
            candidate: runs.runSet(
                "tag:cand", runs: 10, nodes: [.init(name: "new", median: 5), .init(name: "x", median: 9, sigma: 0.001)])
        )
        let added = try #require(comparison.nodes.first { $0.node == "new" })
        #expect(added.status == .added && added.duration == nil && added.failureRate == nil)
        #expect(added.baselineRetriesMean == nil && added.candidateRetriesMean == 0)
        let removed = try #require(comparison.nodes.first { $0.node == "old" })
        #expect(removed.status == .removed)
        #expect(comparison.nodes.map(\.node) == ["new", "old", "x"], "added, removed, then the rest")
    }

    @Test("a newly failing node is marked ! even when not significant")
    func newlyFailing() throws {
        var runs = SyntheticRuns(seed: 6)
        let nodes = [SyntheticRuns.Node(name: "n", median: 10)]
        let baseline = runs.runSet("tag:base", runs: 20, nodes: nodes)
        var candidate = runs.runSet("tag:cand", runs: 20, nodes: nodes)
        candidate.runs[0].nodes["n"]?.failed = true
        candidate.runs[7].nodes["n"]?.failed = true
        let node = try #require(RunSetComparison(baseline: baseline, candidate: candidate).nodes.first)
        #expect(node.failureRate?.verdict == .unknown)
        #expect(node.mark == .newlyFailing)
    }

    @Test("options out of range are rejected")
    func options() {
        #expect(throws: AnalysisError.self) { try ComparisonOptions(alpha: 0).validated() }
        #expect(throws: AnalysisError.self) { try ComparisonOptions(alpha: 1.5).validated() }
        #expect(throws: AnalysisError.self) { try ComparisonOptions(minEffect: -0.1).validated() }
        #expect((try? ComparisonOptions().validated()) != nil)
    }
}
