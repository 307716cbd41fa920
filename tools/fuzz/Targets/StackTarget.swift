import TraceLogStorage

/// (i) The log's filter stack (`filters.tlfs`): the input is the stack file of the index target's log (see
/// ``IndexFixture``), read through a ``LogReader`` by the lookups `trace get` and `trace list` make, and by
/// `verify`.
///
/// Any input must be rejected (lookups then ask the segments' own filters) or used, never crash. When `verify`
/// finds nothing wrong with the stack — every check passes and it misses no key of the segments it covers — it
/// can only rule out segments that do not hold a key, so every answer must be the one the log gives without a
/// stack.
enum StackTarget {
    static func run(_ input: UnsafeRawBufferPointer) throws(Violation) {
        var bytes = Array(input)
        Checksums.fillStack(&bytes)
        let fixture = IndexFixture.shared
        try fixture.exclusively { () throws(Violation) in
            fixture.replaceIndex(with: fixture.originalIndex)
            fixture.replaceStack(with: bytes)
            defer { fixture.removeStack() }
            let reader: LogReader
            do {
                reader = try LogReader(directory: fixture.directory)
            } catch {
                throw Violation(message: "the log does not open: \(error)")
            }
            let answers = lookups(reader)
            let report = try? reader.verify()
            let stackSound =
                report.map { report in
                    !report.rebuiltIndexes.contains { $0.contains(IndexFixture.stackName) }
                        && !report.problems.contains { $0.contains(IndexFixture.stackName) }
                } ?? false
            if stackSound, answers != fixture.answersWithoutStack {
                throw Violation(message: "a stack that verifies clean changed an answer")
            }
        }
    }

    /// What the lookups of `trace get` and `trace list` answer, as seq lists (nil for an error).
    static func lookups(_ reader: LogReader) -> [[UInt64]?] {
        var answers: [[UInt64]?] = []
        for (kind, key) in FuzzSamples.lookups { answers.append(try? reader.records(kind, key: key).map(\.seq)) }
        for tag in 0..<3 { answers.append(try? reader.traceStarts(tag: "tag-\(tag)").map(\.seq)) }
        reader.prefetchTraces((0..<FuzzSamples.traceCount).map { (FuzzSamples.traceID($0), UInt64($0) &* 7) })
        for trace in 0..<FuzzSamples.traceCount {
            let id = FuzzSamples.traceID(trace)
            answers.append(try? reader.records(inTrace: id).map(\.seq))
            let owner = try? reader.traceID(ofEntity: EntityRef(type: .execution, id: "ex-\(trace)"))
            answers.append(owner.map { $0 == id ? [1] : [0] } ?? nil)
        }
        return answers
    }
}
