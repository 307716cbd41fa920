import TraceLog
import TraceLogIngest
import TraceLogStorage

/// Feeds native JSON lines to a store in chunks, reporting each bad line by number.
struct LineIngestor {
    struct Summary {
        var ingested = 0
        var rejected = 0
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
        events.reserveCapacity(chunkSize)
        while true {
            var stop = false
            do {
                guard let line = try reader.nextLine() else { break }
                do {
                    events.append(incoming(try parser.parse(line)))
                    lineNumbers.append(line.number)
                } catch {
                    report(error.description)
                    summary.rejected += 1
                    stop = stopOnError
                }
            } catch {
                report(error.description)
                summary.rejected += 1
                stop = stopOnError
            }
            if events.count >= chunkSize || (stop && !events.isEmpty) {
                if try await flush(&events, &lineNumbers, &summary) { stop = true }
            }
            if stop { return summary }
        }
        _ = try await flush(&events, &lineNumbers, &summary)
        return summary
    }

    /// Ingests a chunk; returns true when a line was rejected and ingest must stop.
    private func flush(_ events: inout [IncomingEvent], _ lineNumbers: inout [Int], _ summary: inout Summary)
        async throws -> Bool
    {
        defer {
            events.removeAll(keepingCapacity: true)
            lineNumbers.removeAll(keepingCapacity: true)
        }
        guard !events.isEmpty else { return false }
        var result = try await store.ingest(events, atomic: stopOnError)
        if stopOnError, let first = result.rejected.first {
            // Keep the lines before the first bad one, then stop.
            let prefix = Array(events[..<first.index])
            summary.ingested += try await store.ingest(prefix, atomic: true).accepted
            report("line \(lineNumbers[first.index]): \(first.error)")
            summary.rejected += 1
            return true
        }
        for rejection in result.rejected { report("line \(lineNumbers[rejection.index]): \(rejection.error)") }
        summary.ingested += result.accepted
        summary.rejected += result.rejected.count
        result.rejected = []
        return false
    }

    private func incoming(_ event: NativeEvent) -> IncomingEvent {
        IncomingEvent(
            body: event.body, time: event.time,
            trace: event.trace.map { TraceLog.TraceContext(id: $0.id, tag: $0.tag) })
    }
}
