import Foundation
import TraceLogAnalysis
import TraceLogStorage

/// Run sets drawn from known distributions, without a log: what the comparison tests plant effects in.
struct SyntheticRuns {
    /// How one node behaves: log-normal durations around `median` (spread `sigma` on the log scale), failing
    /// with probability `failureRate`.
    struct Node {
        var name: String
        var median: Double
        var sigma = 0.1
        var failureRate = 0.0
    }

    var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// `count` runs of `nodes`.
    mutating func runSet(_ selector: String, runs count: Int, nodes: [Node]) -> RunSet {
        let runs = (0..<count).map { index in
            var samples: [String: NodeRunSample] = [:]
            for node in nodes {
                let duration = node.median * exp(node.sigma * generator.nextNormal())
                let failed = generator.nextUniform() < node.failureRate
                samples[node.name] = NodeRunSample(
                    durationMs: (duration * 1000).rounded() / 1000, failed: failed, attempts: 1, retries: 0)
            }
            return RunSample(
                traceID: TraceID(high: generator.next(), low: generator.next()), tag: selector,
                startTime: Timestamp(microseconds: Int64(index) * 1_000_000), nodes: samples)
        }
        return RunSet(selector: selector, runs: runs)
    }
}
