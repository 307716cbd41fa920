import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Feeds native JSON lines to a store in chunks, reporting each bad line by number.
struct LineIngestor {
    struct Summary {
        var ingested = 0
        var rejected = 0
        /// Trigger instances already recorded with the same content: not written again.
        var duplicates = 0
    }

    let store: TraceStore
    let stopOnError: Bool
    let report: (String) -> Void
    var chunkSize = 4096
    private let parser = NativeEventParser()

    init(store: TraceStore, stopOnError: Bool, report: @escaping (String) -> Void) {
        self.store = store
        self.stopOnError = stopOnError
        self.report = report
    }

    /// Reads every line; returns the counts.
    mutating func run(_ reader: inout JSONLinesReader) async throws -> Summary {
        var summary = Summary()
        var events: [IncomingEvent] = []
        var lineNumbers: [Int] = []
        var problems: [(line: Int, message: String)] = []
        events.reserveCapacity(chunkSize)
        while true {
            var stop = false
            do {
                guard let line = try reader.nextLine() else { break }
                do {
                    events.append(try parser.parse(line))
                    lineNumbers.append(line.number)
                } catch {
                    problems.append((line.number, error.description))
                    stop = stopOnError
                }
            } catch {
                problems.append((reader.lineNumber, error.description))
                stop = stopOnError
            }
            if events.count >= chunkSize || stop {
                if try await flush(&events, &lineNumbers, &problems, &summary) { stop = true }
            }
            if stop { return summary }
        }
        _ = try await flush(&events, &lineNumbers, &problems, &summary)
        return summary
    }

    /// Ingests a chunk and reports its bad lines in line order; returns true when ingest must stop.
    private func flush(
        _ events: inout [IncomingEvent], _ lineNumbers: inout [Int], _ problems: inout [(line: Int, message: String)],
        _ summary: inout Summary
    ) async throws -> Bool {
        defer {
            events.removeAll(keepingCapacity: true)
            lineNumbers.removeAll(keepingCapacity: true)
            problems.removeAll(keepingCapacity: true)
        }
        var stop = stopOnError && !problems.isEmpty
        if !events.isEmpty {
            let result = try await store.ingest(events, atomic: stopOnError)
            if stopOnError, let first = result.rejected.first {
                // Keep the lines before the first bad one, then stop.
                let kept = try await store.ingest(Array(events[..<first.index]), atomic: true)
                summary.ingested += kept.accepted
                summary.duplicates += kept.duplicates
                problems.append((lineNumbers[first.index], "line \(lineNumbers[first.index]): \(first.error)"))
                stop = true
            } else {
                summary.ingested += result.accepted
                summary.duplicates += result.duplicates
                problems += result.rejected.map {
                    (lineNumbers[$0.index], "line \(lineNumbers[$0.index]): \($0.error)")
                }
            }
        }
        if stop, let first = problems.min(by: { $0.line < $1.line }) { problems = [first] }
        for problem in problems.sorted(by: { $0.line < $1.line }) { report(problem.message) }
        summary.rejected += problems.count
        return stop
    }
}
