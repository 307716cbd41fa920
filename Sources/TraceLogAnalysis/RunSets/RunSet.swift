public import TraceLog
public import TraceLogStorage

/// One selected run: a trace and its nodes.
public struct RunSample: Hashable, Sendable {
    /// The trace of the run.
    public var traceID: TraceID
    /// Its tag.
    public var tag: String
    /// When it started (its trace-start record's time).
    public var startTime: Timestamp
    /// Its nodes by name.
    public var nodes: [String: NodeRunSample]

    /// Creates a run.
    public init(traceID: TraceID, tag: String, startTime: Timestamp, nodes: [String: NodeRunSample]) {
        self.traceID = traceID
        self.tag = tag
        self.startTime = startTime
        self.nodes = nodes
    }
}

/// The runs a selector selected, oldest first (by start time, then log order).
public struct RunSet: Hashable, Sendable {
    /// The selector, as parsed.
    public var selector: String
    /// The runs, oldest first.
    public var runs: [RunSample]

    /// Creates a run set from runs already in start-time order.
    public init(selector: String, runs: [RunSample]) {
        self.selector = selector
        self.runs = runs
    }

    /// Every node name that appears in a run, sorted.
    public var nodeNames: [String] { Set(runs.flatMap(\.nodes.keys)).sorted() }
}

extension TraceStore {
    /// The trace starts a selector selects, oldest first, found without decoding any trace.
    ///
    /// - `trace:ID`: one trace-id index probe.
    /// - `tag:` with no wildcard: the tag index and the trace-start tables (``LogReader/traceStarts(tag:)``).
    /// - `tag:*`: every trace-start table entry; no batch is read.
    /// - any other glob: every trace-start table entry narrowed by the time window, then the tag text once per
    ///   distinct tag hash (``LogReader/traceStarts(_:taggedWhere:)``).
    ///
    /// Tag matches are on 64-bit hashes here; ``runSet(_:)`` checks each selected trace's tag.
    public func runStarts(_ selector: RunSelector) throws(LogError) -> [TraceStartEntry] {
        var starts: [TraceStartEntry]
        switch selector.kind {
        case .trace(let id):
            starts = try reader.traceStart(of: id).map { [$0] } ?? []
        case .tag(let glob):
            if let literal = glob.literal {
                starts = try reader.traceStarts(tag: literal)
            } else {
                starts = try reader.traceStarts().filter { selector.contains(time: $0.time) }
                if !glob.matchesEverything {
                    starts = try reader.traceStarts(starts, taggedWhere: glob.matches)
                }
            }
        }
        starts.removeAll { !selector.contains(time: $0.time) }
        starts.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
        return starts
    }

    /// The runs a selector selects, each read through the trace-id index (its own records only; no other
    /// trace is decoded). Cost: one trace lookup per run.
    ///
    /// - Throws: ``AnalysisError/emptySelection(_:)`` when nothing matches, ``AnalysisError/log(_:)`` when the
    ///   log fails.
    public func runSet(_ selector: RunSelector) throws(AnalysisError) -> RunSet {
        var runs: [RunSample] = []
        do throws(LogError) {
            for start in try runStarts(selector) {
                let records = try reader.records(inTrace: start.traceID)
                guard let first = records.first, case .traceStart(let traceStart) = first.record.body else { continue }
                // A tag hash collision selects a trace of another tag: leave it out.
                if case .tag(let glob) = selector.kind, !glob.matches(traceStart.tag) { continue }
                runs.append(
                    RunSample(
                        traceID: start.traceID, tag: traceStart.tag, startTime: first.record.time,
                        nodes: NodeRunSample.nodes(of: records)))
            }
        } catch {
            throw .log(error)
        }
        guard !runs.isEmpty else { throw .emptySelection(selector.description + Self.window(selector)) }
        return RunSet(selector: selector.description, runs: runs)
    }

    private static func window(_ selector: RunSelector) -> String {
        switch (selector.since, selector.until) {
        case (nil, nil): ""
        case (let since?, nil): " since \(since)"
        case (nil, let until?): " until \(until)"
        case (let since?, let until?): " between \(since) and \(until)"
        }
    }
}
