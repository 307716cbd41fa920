/// A deterministic, endless stream of native JSON lines mixing StackStorm traces, Stroma runs and
/// Selinon flows.
///
/// Each element is one line's UTF-8 bytes without the trailing newline. The stream never ends, so
/// take what you need (`generator.prefix(1000)`), or use `writeLines(count:to:)` for bulk output.
/// The same configuration yields byte-identical lines on every run and machine. Memory stays
/// bounded (a few scenarios in flight per kind), whatever the number of lines.
///
/// The lines respect SPEC §2: every `caused_by`, `parent`, `rerun_of` or flow-event `id` names an
/// entity that an earlier line introduced; traces start with `trace.tag` or with a cause-less line;
/// `trace.id` is never written.
public struct WorkloadGenerator: Sequence, Sendable {
    /// The configuration every iterator starts from.
    public let configuration: WorkloadConfiguration

    /// A generator for `configuration`.
    public init(configuration: WorkloadConfiguration) {
        self.configuration = configuration
    }

    /// A fresh iterator at the first line.
    ///
    /// - Precondition: the configuration is valid (see `WorkloadConfiguration.init`).
    public func makeIterator() -> Iterator {
        Iterator(configuration: configuration)
    }

    /// Writes the first `count` lines, each followed by `\n`, to a file descriptor in ~1 MiB writes.
    ///
    /// - Returns: what was written.
    /// - Throws: `WorkloadOutputError` when `write(2)` fails; lines before the failing write are out.
    @discardableResult
    public func writeLines(count: Int, to fileDescriptor: Int32) throws(WorkloadOutputError) -> WorkloadStatistics {
        var iterator = makeIterator()
        try iterator.writeLines(count: count, to: fileDescriptor)
        return iterator.statistics
    }

    /// Produces the lines; a value type, so a copy continues independently from the same point.
    public struct Iterator: IteratorProtocol, Sendable {
        private struct Slot {
            var kind: WorkloadKind
            var script = ScenarioScript()
        }

        private var context: PlanningContext
        private var slots: [Slot] = []
        private var firstSlotOfKind = [0, 0, 0]
        private var cumulativeWeights: [Int] = []
        private var formatter = TimestampFormatter()
        /// Where `next()` and `appendNextLine(to:)` assemble a line; replaced when shared with a copy.
        private var scratch = LineBuffer(capacity: 1024)
        private let slotsPerKind: Int
        private let maximumGap: Int
        /// What has been emitted so far.
        public private(set) var statistics = WorkloadStatistics()

        init(configuration: WorkloadConfiguration) {
            // The stored properties are public `var`s, so check again what `WorkloadConfiguration.init` checked.
            precondition(configuration.mix.total > 0, "the mix needs at least one positive weight")
            precondition(configuration.meanIntervalMicroseconds >= 1, "the mean interval must be at least 1 µs")
            precondition(configuration.concurrentScenariosPerKind >= 1, "at least one scenario per kind must run")
            context = PlanningContext(seed: configuration.seed, startMicroseconds: configuration.startTimeMicroseconds)
            slotsPerKind = configuration.concurrentScenariosPerKind
            maximumGap = 2 * configuration.meanIntervalMicroseconds - 1
            var total = 0
            for kind in WorkloadKind.allCases {
                total += configuration.mix[kind]
                cumulativeWeights.append(total)
                firstSlotOfKind[kind.rawValue] = slots.count
                guard configuration.mix[kind] > 0 else { continue }
                for _ in 0..<slotsPerKind {
                    slots.append(Slot(kind: kind))
                    plan(slot: slots.count - 1)
                }
            }
        }

        /// The next line's bytes (never `nil`: the stream is endless). Allocates the returned array;
        /// use `appendNextLine(to:)` to reuse a buffer.
        public mutating func next() -> [UInt8]? {
            let line = assembleNextLine()
            return Array(line.written)
        }

        /// Appends the next line (without newline) to `buffer`.
        ///
        /// - Complexity: O(line length), amortized; no allocation once the buffers have grown.
        public mutating func appendNextLine(to buffer: inout [UInt8]) {
            let line = assembleNextLine()
            buffer.append(contentsOf: line.written)
        }

        /// Writes the next `count` lines, each followed by `\n`, to a file descriptor in ~1 MiB writes.
        ///
        /// - Throws: `WorkloadOutputError` when `write(2)` fails.
        public mutating func writeLines(count: Int, to fileDescriptor: Int32) throws(WorkloadOutputError) {
            let flushThreshold = 1 << 20
            let buffer = LineBuffer(capacity: flushThreshold + 64 * 1024)
            for _ in 0..<count {
                emitNextLine(to: buffer)
                buffer.append(byte: UInt8(ascii: "\n"))
                if buffer.count >= flushThreshold {
                    try FileDescriptorOutput.writeAll(buffer.written, to: fileDescriptor)
                    buffer.count = 0
                }
            }
            try FileDescriptorOutput.writeAll(buffer.written, to: fileDescriptor)
        }

        private mutating func assembleNextLine() -> LineBuffer {
            if isKnownUniquelyReferenced(&scratch) {
                scratch.count = 0
            } else {
                scratch = LineBuffer(capacity: 1024)
            }
            emitNextLine(to: scratch)
            return scratch
        }

        /// Appends the next line (without newline) to `output`.
        private mutating func emitNextLine(to output: LineBuffer) {
            let roll = context.random.below(cumulativeWeights[cumulativeWeights.count - 1])
            var kind = WorkloadKind.stackstorm
            while roll >= cumulativeWeights[kind.rawValue] { kind = WorkloadKind(rawValue: kind.rawValue + 1)! }
            let slot = firstSlotOfKind[kind.rawValue] + context.random.below(slotsPerKind)

            let before = output.count
            let type = slots[slot].script.emitNextLine(time: context.nowMicroseconds, formatter: &formatter, to: output)
            statistics.count(type, kind: kind, bytes: output.count - before)
            context.nowMicroseconds += Int64(1 + context.random.below(maximumGap))
            if slots[slot].script.isFinished {
                context.remember(completed: slots[slot].script.rerunCandidates)
                plan(slot: slot)
            }
        }

        private mutating func plan(slot: Int) {
            let kind = slots[slot].kind
            statistics.scenariosByKind[kind.rawValue] += 1
            slots[slot].script.reset()
            switch kind {
            case .stackstorm: StackStormPlanner.plan(into: &slots[slot].script, context: &context)
            case .stroma: StromaPlanner.plan(into: &slots[slot].script, context: &context)
            case .selinon: SelinonPlanner.plan(into: &slots[slot].script, context: &context)
            }
        }
    }
}
