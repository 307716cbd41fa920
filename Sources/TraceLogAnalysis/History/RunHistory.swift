public import TraceLogStorage

/// `tracelog history`: per node, the series of its durations in run start-time order, and the change points
/// of that series (``ChangePointDetector``: E-Divisive means with a t-test, as Apache Otava).
///
/// A node's series holds the runs where it recorded a duration, so `index` counts those runs. Cost: O(R · N)
/// to gather R runs of N nodes, plus the detection, O(R · W) per node for windows of W.
public struct RunHistory: Sendable {
    /// One run of a node's series.
    public struct Point: Hashable, Sendable {
        /// The run's trace.
        public var traceID: TraceID
        /// The run's start time.
        public var time: Timestamp
        /// The node's duration in that run (ms).
        public var durationMs: Double
    }

    /// One change point of a node's series.
    public struct Change: Hashable, Sendable {
        /// The 0-based position in the node's series of the first run after the change.
        public var index: Int
        /// That run's trace.
        public var traceID: TraceID
        /// That run's start time.
        public var time: Timestamp
        /// The median duration since the previous change point.
        public var beforeP50: Double
        /// The median duration up to the next change point.
        public var afterP50: Double
        /// afterP50 ÷ beforeP50 (0/0 = 1, x/0 = +∞).
        public var ratio: Double
        /// Student's t-test between the two segments.
        public var pValue: Double
    }

    /// One node's series and its change points.
    public struct Node: Hashable, Sendable {
        /// The node name.
        public var node: String
        /// The node's series, oldest run first.
        public var points: [Point]
        /// Its change points, in series order; empty for a flat series, however noisy.
        public var changePoints: [Change]
    }

    /// The selector, as parsed.
    public var selector: String
    /// The runs selected.
    public var runs: Int
    /// The nodes, by name.
    public var nodes: [Node]

    /// The history of a run set; `node` keeps only that node.
    ///
    /// - Throws: ``AnalysisError/invalidOption(_:reason:)`` when `node` is given and no run has it.
    public init(
        _ set: RunSet, node: String? = nil, options: ChangePointDetector.Options = ChangePointDetector.Options()
    ) throws(AnalysisError) {
        selector = set.selector
        runs = set.runs.count
        var series: [String: [Point]] = [:]
        for run in set.runs {
            for (name, sample) in run.nodes where node == nil || name == node {
                guard let duration = sample.durationMs else { continue }
                series[name, default: []].append(
                    Point(traceID: run.traceID, time: run.startTime, durationMs: duration))
            }
        }
        if let node, series[node] == nil {
            throw .invalidOption("node", reason: "no selected run recorded a duration for node \(node)")
        }
        nodes = series.keys.sorted().map { name in
            let points = series[name]!
            let changes = ChangePointDetector.detect(points.map(\.durationMs), options: options).map { change in
                Change(
                    index: change.index, traceID: points[change.index].traceID, time: points[change.index].time,
                    beforeP50: change.medianBefore, afterP50: change.medianAfter, ratio: change.ratio,
                    pValue: change.pValue)
            }
            return Node(node: name, points: points, changePoints: changes)
        }
    }
}
